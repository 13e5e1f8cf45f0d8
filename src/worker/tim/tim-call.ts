import { performance } from 'node:perf_hooks';
import type { Job } from 'bullmq';
import type { TimJob } from '../../providers/tim/schema.js';
import { callProvider } from '../../providers/provider.js';
import { PermitTimeout, type Permit } from '../../limiter/tim-rate-gate.js';
import type { CallVerdict } from '../../domain/verdict.js';
import type { JobRef } from '../../queue/job-ref.js';
import type { JobSnapshot } from '../../queue/job-store.js';
import { Wait } from '../wait.js';
import { accountStateChanged } from '../wait-for-account.js';
import type { TimPlan } from './plan.js';
import type { TimProcessorDeps } from './tim-context.js';
import { applyTimEffect, timCallRecords } from './apply-tim-verdict.js';
import { releaseAndRecordCall } from '../release-and-record.js';
import { crashPoint, injectedBug } from '../../lib/crash-point.js';
import { preciseNow } from '../../lib/precise-now.js';
import { BUSY_RECHECK_MS, busyWaitMs, type Hold, type Lease, type NextWaiter } from '../../accounts/account-lock.js';
import type { Admitted } from '../admission.js';

/** One TIM job being worked on: what it asks for, and its place in the admission line. */
export interface TimWork {
  job: Job;
  data: TimJob;
  plan: TimPlan;
  ref: JobRef;
  admitted: Admitted;
  /** Set once this pass took the account: taking it left the account's line (lock-acquire.lua). */
  tookAccount?: boolean;
  /** The account, taken as the job started (tim-start.ts) and not yet used by a call. */
  lease?: Lease;
}

/**
 * One call: hold the From_Account (no other call of it in flight anywhere), take a rate permit
 * just in time, send, act on the answer's account-wide effect, then let the account go and record
 * the targets in one step. Resolves true when every target of the batch is final.
 */
export async function makeTimCall(work: TimWork, batch: readonly string[], snapshot: JobSnapshot, deps: TimProcessorDeps): Promise<boolean> {
  const { job, data, plan, ref } = work;
  const provider = deps.provider!;
  const jobId = String(job.id);
  // First in line for a busy account: wait in place, out of the admission line (AccountLocks.holdInLine).
  const hold = { ...heldForAccount(deps), onHold: () => work.admitted.leave() };
  const lease = takeStartLease(work) ?? (await deps.locks.acquire('tim', ref.account, jobId, job.timestamp, Date.now(), hold));
  if ('rank' in lease) throw new Wait(Date.now() + busyWaitMs(lease.rank), 'account busy');
  if ('blocked' in lease) throw accountStateChanged();
  work.tookAccount = true;
  const wake = (next: NextWaiter | undefined) => wakeOther(next, work, deps);
  let records: ReturnType<typeof timCallRecords>;
  try {
    // Sign and serialise before the permit: the permit-to-arrival time must stay short.
    crashPoint(deps.config.crashAt, 'holding-account');
    const prepared = provider.prepare(
      data,
      batch.map((t) => plan.targets.get(t)!),
    );
    // Ready: the next job may start preparing while this one waits for its slot.
    work.admitted.leave();
    const permit = await takePermit(deps);
    deps.observer.waited('tim', 'rate', permit.waitedMs);
    const started = performance.now();
    const answered = (at: number) => permit.answered(at, batch.length);
    let verdict: CallVerdict;
    try {
      verdict = await callProvider(provider, prepared, { onSent: permit.sent, onAnswered: answered });
    } finally {
      answered(preciseNow()); // no answer came (a failure): the call's end bounds its arrival
    }
    logCall(verdict, performance.now() - started, batch.length, ref, deps);
    crashPoint(deps.config.crashAt, 'after-answer');
    injectedBug(deps.config.crashAt, 'bug-after-answer');
    // Before the account is let go: the job that takes it next must find a strike on record.
    records = timCallRecords(await applyTimEffect(verdict, snapshot, ref, deps, lease.struck), snapshot, deps);
  } catch (err) {
    wake(await lease.release());
    throw err;
  }
  // The account is let go in the step that records the call (release-and-record.lua).
  await releaseAndRecordCall(deps.store, ref, records, lease, wake);
  return records.allFinal;
}

/** Counts the answered (or failed) call in the metrics and logs it, before its effect is applied: the call was made whatever follows. */
function logCall(verdict: CallVerdict, latencyMs: number, targets: number, ref: JobRef, deps: TimProcessorDeps): void {
  deps.observer.call('tim', verdict, latencyMs);
  deps.logger.info(
    {
      fromAccount: ref.account,
      targets,
      latencyMs: Math.round(latencyMs),
      code: verdict.callCode,
      codes: countCodes(verdict),
      timRequestId: verdict.providerRequestId,
      effect: verdict.effect,
    },
    'tim friend_add call',
  );
}

/** How a TIM job first in line for its busy account waits in place, and how the wait is counted. */
export function heldForAccount(deps: Pick<TimProcessorDeps, 'isClosing' | 'observer'>): Hold {
  return { ms: deps.isClosing() ? 0 : BUSY_RECHECK_MS, onHeld: (ms) => deps.observer.waited('tim', 'account', ms) };
}

/** The lease the job's start took, once: the call that uses it owns it from then on. */
function takeStartLease(work: TimWork): Lease | undefined {
  const lease = work.lease;
  work.lease = undefined;
  return lease;
}

/**
 * Lets go of the account the job's start took when no call used it (the job waits, or ended
 * without a call), and wakes its first waiter, as a call's end does. Never throws: a lease Redis
 * could not be told of lapses by itself (its renewal stopped), and the job's own outcome stands.
 */
export async function releaseStartLease(work: TimWork, deps: TimProcessorDeps): Promise<void> {
  const lease = takeStartLease(work);
  if (lease) wakeOther(await lease.release().catch(() => undefined), work, deps);
}

/** Wakes the account's first waiter, unless that is this job itself. */
function wakeOther(next: NextWaiter | undefined, work: TimWork, deps: TimProcessorDeps): void {
  if (next && next.id !== String(work.job.id)) void wakeNext(next, work.ref.account, deps);
}

/** Wakes the account's first waiter; one that is gone for good leaves the line. */
async function wakeNext(next: NextWaiter, account: string, deps: TimProcessorDeps): Promise<void> {
  const told = await deps.waker.wakeWaiter(next);
  if (told === 'gone') await deps.locks.forget('tim', account, next.id).catch(() => undefined);
}

async function takePermit(deps: TimProcessorDeps): Promise<Permit> {
  try {
    return await deps.gate.acquire(deps.config.tim.sdkAppId!);
  } catch (err) {
    if (err instanceof PermitTimeout) throw new Wait(Date.now() + 1000, err.message);
    throw err;
  }
}

function countCodes(verdict: CallVerdict): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of verdict.targets) counts[String(t.code)] = (counts[String(t.code)] ?? 0) + 1;
  return counts;
}
