import { performance } from 'node:perf_hooks';
import type { GeweJob } from '../../providers/gewe/schema.js';
import { callProvider } from '../../providers/provider.js';
import type { CallVerdict } from '../../domain/verdict.js';
import type { JobRef } from '../../queue/job-ref.js';
import type { JobSnapshot } from '../../queue/job-store.js';
import { Wait } from '../wait.js';
import { accountStateChanged } from '../wait-for-account.js';
import { applyGeweEffect, geweCallRecords } from './apply-gewe-verdict.js';
import { endGeweCall } from './end-gewe-call.js';
import { beginWithTake, begunWithTake } from './take-and-begin.js';
import type { GeweProcessorDeps } from './gewe-context.js';
import { awaitSlot, beginSend } from './gewe-pace.js';
import { crashPoint } from '../../lib/crash-point.js';
import type { CallKind } from '../../pacing/pace-lanes.js';
import type { NextWaiter } from '../../accounts/account-lock.js';
import type { Reservation } from '../../pacing/gewe-pacer.js';

/**
 * How soon a job whose slot came while its account was busy (the other lane's call, or a slow
 * one of its own) looks again, per place in line, and at most. The holder also wakes the first
 * waiter as it lets go, but a waiter still on its way to being delayed misses that wake: the
 * look again bounds what that costs.
 */
const BUSY_RECHECK_MS = 100;
const BUSY_RECHECK_MAX_MS = 1000;

function busyRecheckMs(rank: number): number {
  return Math.min(BUSY_RECHECK_MAX_MS, BUSY_RECHECK_MS * (1 + rank));
}

/** Moves accepts ahead of every add in an account's line: about 31 years, in ms. */
const ACCEPTS_AHEAD_MS = 1e12;

/**
 * Where a job stands in its account's line when it finds the account busy: accepts and rejects
 * before adds (the person is waiting for an answer, and accepts never queue behind adds), each
 * kind in the order it came to the line.
 */
function placeInLine(kind: CallKind): number {
  return kind === 'accept' ? Date.now() - ACCEPTS_AHEAD_MS : Date.now();
}

/**
 * One paced addContacts call: wait for its turn in its lane, hold the appId (one call in flight,
 * whatever the lane), send, act on the answer's effect on the account, then stamp the lane's end,
 * let the account go and record the target in one step. A retry is a call too: it takes a new turn, after its backoff.
 * `reserved`: the slot this pass reserved as it started (gewe-start.ts), if it did.
 * Resolves true when the target's result is recorded (false: it will be tried again).
 */
export async function pacedGeweCall(data: GeweJob, ref: JobRef, snapshot: JobSnapshot, deps: GeweProcessorDeps, reserved?: Reservation): Promise<boolean> {
  const provider = deps.provider!;
  const retryAt = Number(snapshot.fields.get('retryAt') ?? 0);
  const pace = await awaitSlot(data, ref, retryAt, deps, reserved);
  const lease = await deps.locks.acquireThen('gewe', ref.account, ref.jobId, placeInLine(pace.kind), beginWithTake(data, ref, pace, deps));
  if ('rank' in lease) throw new Wait(Date.now() + busyRecheckMs(lease.rank), 'account busy');
  if ('blocked' in lease) throw accountStateChanged();
  const wake = (next: NextWaiter | undefined) => {
    if (next && next.id !== ref.jobId) void wakeNext(next, ref.account, deps);
  };
  let verdict: CallVerdict | undefined;
  try {
    // Also marks the add as possibly sent: a worker killed before recording the answer must not
    // send it again (a second request could reach the person).
    await beginSend(data, ref, pace, deps, begunWithTake(lease.stepReply));
    const prepared = provider.prepare(data);
    const started = performance.now();
    verdict = await callProvider(provider, prepared);
    logCall(verdict, performance.now() - started, data, ref, deps);
    crashPoint(deps.config.crashAt, 'after-answer');
    // Before the account is let go: the job that takes it next must find a strike on record.
    await applyGeweEffect(verdict, ref, deps, lease.struck);
  } catch (err) {
    // An answered call still spaces the lane's next send from its end.
    if (verdict) await deps.pacer.finished(data.appId, pace.kind).catch(() => undefined);
    wake(await lease.release());
    throw err;
  }
  // The lane's end stamped, the account let go and the target recorded in one step (gewe-call-end.lua).
  const records = geweCallRecords(verdict, snapshot, deps);
  await endGeweCall(ref, pace.kind, records, lease, deps, wake);
  return records.final;
}

/** Counts the answered (or failed) call in the metrics and logs it, before its effect is applied: the call was made whatever follows. */
function logCall(verdict: CallVerdict, latencyMs: number, data: GeweJob, ref: JobRef, deps: GeweProcessorDeps): void {
  deps.observer.call('gewe', verdict, latencyMs);
  deps.logger.info(
    { appId: ref.account, option: data.option, latencyMs: Math.round(latencyMs), code: verdict.callCode, info: verdict.callInfo },
    'gewe addContacts call',
  );
}

/**
 * Wakes the account's first waiter. One that was not waiting delayed leaves the line: it is gone,
 * or running (it will join again if it finds the account busy), or ended and kept by BullMQ, which
 * would otherwise stand first for good and take every later wake. Best effort.
 */
async function wakeNext(next: NextWaiter, account: string, deps: GeweProcessorDeps): Promise<void> {
  const told = await deps.waker.wakeWaiter(next).catch(() => 'not-delayed' as const);
  if (told !== 'woken') await deps.locks.forget('gewe', account, next.id).catch(() => undefined);
}
