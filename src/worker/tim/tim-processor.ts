import type { Job } from 'bullmq';
import { accountLimitProblem, parseTimJob, type TimJob } from '../../providers/tim/schema.js';
import { jobRefOf, type JobRef } from '../../queue/job-ref.js';
import { waitForAccount, waitForCredential } from '../wait-for-account.js';
import { busyWaitMs } from '../../accounts/account-lock.js';
import type { JobSnapshot, JobStart } from '../../queue/job-store.js';
import type { AccountState } from '../../accounts/account-state.js';
import { rejectInvalidJob } from '../reject-invalid-job.js';
import { runJob } from '../run-job.js';
import { finalsFor } from '../settle-targets.js';
import { Wait } from '../wait.js';
import { planTimJob, pickBatch } from './plan.js';
import { heldForAccount, makeTimCall, releaseStartLease, type TimWork } from './tim-call.js';
import { startTimJob } from './tim-start.js';
import type { Admitted } from '../admission.js';
import type { TimProcessorDeps } from './tim-context.js';
import { createErrorBudget, type JobTargets } from '../error-budget.js';
import { lockoutInfo } from '../lockout-info.js';
import { showProgress } from '../show-progress.js';

export interface JobSummary {
  requestId: string;
  targets: number;
}

/**
 * Processes one `tim` job: validates it, then makes calls of at most 1000 open targets, one at a
 * time, until every target is final. Every wait (busy account, strike rest, pause, retry backoff)
 * is a delayed job in Redis. State lives in Redis, so a killed worker's job resumes where it was.
 */
export function createTimProcessor(deps: TimProcessorDeps) {
  const budget = createErrorBudget('tim', deps, timTargetsOf);
  return (job: Job, token?: string): Promise<JobSummary> =>
    runJob(job, token, { ...deps, budget }, async () => {
      // Before the admission line: a job waiting for its account holds no place in it.
      await waitIfAccountBusy(job, deps);
      // Its place is left once the job waits for its permit (tim-call.ts), or on any way out.
      const admitted = await deps.admission.enter();
      try {
        return await processTimJob(job, token, admitted, deps);
      } finally {
        admitted.leave();
      }
    });
}

/** Every target of a valid job, for ending them after too many unexpected errors. */
function timTargetsOf(job: Job, token: string | undefined): JobTargets | undefined {
  const parsed = parseTimJob(job.data);
  if (!parsed.ok) return undefined;
  const plan = planTimJob(parsed.job);
  const ref = jobRefOf(job, 'tim', { requestId: parsed.job.requestId, account: parsed.job.fromAccount }, token);
  return { ref, targets: [...plan.targets.keys(), ...plan.refused.map((r) => r.target)] };
}

async function processTimJob(job: Job, token: string | undefined, admitted: Admitted, deps: TimProcessorDeps): Promise<JobSummary> {
  const parsed = parseTimJob(job.data);
  const names = parsed.ok ? { requestId: parsed.job.requestId, account: parsed.job.fromAccount } : parsed;
  const ref = jobRefOf(job, 'tim', names, token);
  if (!parsed.ok) return rejectInvalidJob(ref, parsed, deps.store, deps.publisher);
  const unsignable = signingProblem(parsed.job, deps);
  if (unsignable) {
    const knownTargets = parsed.job.targets.map((t) => t.toAccount);
    return rejectInvalidJob(ref, { ...unsignable, knownTargets }, deps.store, deps.publisher);
  }
  const plan = planTimJob(parsed.job);
  const { start, lease } = await startTimJob(ref, plan.count, job.timestamp, deps);
  const work: TimWork = { job, data: parsed.job, plan, ref, admitted, lease, tookAccount: lease !== undefined };
  try {
    if (plan.refused.length) await deps.store.record(ref, plan.refused);
    // A killed run may have left results in the outbox.
    if (start.unpublished || plan.refused.length) await deps.publisher.flush(ref);
    // Publishing leaves the state as init read it; recording the refused changes it.
    await workUntilFinal(work, plan.refused.length ? undefined : start, deps);
  } finally {
    // Taken with the start, used by no call: the job waits or ended without one.
    await releaseStartLease(work, deps);
  }
  // A job that looked at its account but never took it may still stand in its line (peek joins
  // it when busy); taking the account left the line, and any later look that joins it throws Wait.
  if (!work.tookAccount) await deps.locks.forget('tim', ref.account, String(job.id));
  return { requestId: ref.requestId, targets: plan.count };
}

/**
 * `start`: the job's and its account's state as init read them, when still current, for the
 * first turn; later turns read them again.
 */
async function workUntilFinal(work: TimWork, start: JobStart | undefined, deps: TimProcessorDeps): Promise<void> {
  const { plan, ref } = work;
  for (let turn = 0; ; turn += 1) {
    const first = turn === 0 ? start : undefined;
    const snapshot = first?.snapshot ?? (await deps.store.load(ref));
    const open = [...plan.targets.keys()].filter((t) => !snapshot.finals.has(t));
    await showProgress(work.job, plan.count - open.length, plan.count);
    if (open.length === 0) return;
    const holdUntil = Number(snapshot.fields.get('holdUntil') ?? 0);
    if (holdUntil > Date.now()) throw new Wait(holdUntil, 'backing off after a re-sign or a split');
    let allFinal = false;
    if (!(await settleByState(ref, open, snapshot, first?.account, deps))) {
      const retryAt = Number(snapshot.fields.get('retryAt') ?? 0);
      const chunk = Number(snapshot.fields.get('chunk') ?? 1000);
      const batch = pickBatch(open, snapshot.attempts, Date.now() >= retryAt, chunk);
      if (batch.length === 0) throw new Wait(retryAt, 'targets wait for their retry');
      const batchAllFinal = await makeTimCall(work, batch, snapshot, deps);
      allFinal = batchAllFinal && batch.length === open.length;
    }
    await deps.publisher.flush(ref);
    // Every target is final: no need to read the state back to learn it.
    if (allFinal) return showProgress(work.job, plan.count, plan.count);
    if (deps.isClosing()) throw new Wait(Date.now(), 'worker shutting down: handed back');
  }
}

/**
 * Ends or holds the job by its request's and account's state (`known`: the account's, when this
 * turn has it already). Returns true when it recorded finals (cancelled, disabled, too many
 * strikes); throws Wait when the account must not be called.
 */
async function settleByState(ref: JobRef, open: string[], snapshot: JobSnapshot, known: AccountState | undefined, deps: TimProcessorDeps) {
  const record = (outcome: 'cancelled' | 'refused' | 'failed', code: number | string, info: string) =>
    deps.store.record(ref, finalsFor(open, outcome, code, info, snapshot.attempts)).then(() => true);
  if (snapshot.cancelled) return record('cancelled', 'cancelled', 'request cancelled before this target was called');
  const account = known ?? (await deps.accounts.read('tim', ref.account));
  const now = Date.now();
  if (account.disabledUntil > now) return record('refused', 30545, 'From_Account may not add friends (30545)');
  if (account.lockedUntil > now) return record('failed', account.strikeCode ?? 30540, lockoutInfo(account));
  await waitForAccount(ref, account, deps, now);
  await waitForCredential(deps.credential);
  return false;
}

/**
 * A job whose From_Account is busy waits before any other work: parsing and loading a
 * 1000-target job only to find its account busy made every pass of a waiting job cost as much as
 * a call. A malformed job is not held up long: it is rejected once its account is free. The look
 * is made only for an account this process found busy lately (ContendedAccounts): for a free
 * one it was a round trip that said nothing, and a job whose take finds its account busy after
 * all waits as one that looked.
 *
 * The first in line waits in its slot, up to BUSY_RECHECK_MS, for the holder to let go (a call
 * holds its account for well under a second): going back to delayed and coming back costs a
 * whole BullMQ pass. Others wait delayed, as a holder's release wakes only the first.
 */
async function waitIfAccountBusy(job: Job, deps: TimProcessorDeps): Promise<void> {
  const from = (job.data as { fromAccount?: unknown } | undefined)?.fromAccount;
  if (typeof from !== 'string' || from === '') return;
  const busy = await deps.locks.peekIfContended('tim', from, String(job.id), job.timestamp, heldForAccount(deps));
  if (busy) throw new Wait(Date.now() + busyWaitMs(busy.rank), 'account busy');
}

/** Why no call can be made for this job at all: the field at fault and the reason. */
function signingProblem(data: TimJob, deps: TimProcessorDeps): { field: string; message: string } | undefined {
  const fromProblem = accountLimitProblem(data.fromAccount);
  if (fromProblem) return fromProblem;
  const configured = deps.config.tim.sdkAppId;
  if (!deps.provider || configured === undefined) {
    return { field: 'sdkAppId', message: 'TIM is not configured (TIM_SDKAPPID, TIM_SECRET_KEY)' };
  }
  if (data.sdkAppId !== undefined && data.sdkAppId !== configured) {
    return { field: 'sdkAppId', message: `${data.sdkAppId} is not the configured ${configured}: this worker cannot sign for it` };
  }
  return undefined;
}
