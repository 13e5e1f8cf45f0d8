import { LOCK_ACQUIRE_LUA, type Lease } from '../../accounts/account-lock.js';
import { composedScript } from '../../lib/lua-script.js';
import type { JobRef } from '../../queue/job-ref.js';
import { INIT_JOB_LUA, type JobStart } from '../../queue/job-store.js';
import type { TimProcessorDeps } from './tim-context.js';

const initAndTake = composedScript(import.meta.url, 'init-and-take.lua', { initJob: INIT_JOB_LUA, acquire: LOCK_ACQUIRE_LUA });

/** How a TIM job's first turn started: its state, and its account if the same step took it. */
export interface TimJobStart {
  start: JobStart;
  /** The account's lease, when taken; undefined when busy, blocked or not tried (a cancelled request). */
  lease?: Lease;
}

/**
 * A TIM job's first turn begins in one round trip (init-and-take.lua): the job counted into its
 * request, its state and its account's read (JobStore.init), and its account taken for its call
 * (AccountLocks.acquire, without waiting in place). The caller lets the lease go on every way out
 * that makes no call. An account found busy or blocked is left to the call's own take, which
 * waits or reads the state again as it does for any later turn.
 */
export async function startTimJob(ref: JobRef, targetCount: number, queuedAt: number, deps: Pick<TimProcessorDeps, 'store' | 'locks'>): Promise<TimJobStart> {
  const take = deps.locks.takePart('tim', ref.account, ref.jobId, queuedAt);
  const [start, taken] = await deps.store.initThen(ref, targetCount, initAndTake, take, (reply) => {
    const [init, acquired] = reply as [unknown, unknown];
    return [init, acquired ? take.outcome(acquired) : undefined];
  });
  return { start, lease: taken && 'release' in taken ? taken : undefined };
}
