import { LOCK_ACQUIRE_LUA, type TakeStep } from '../../accounts/account-lock.js';
import { composedScript } from '../../lib/lua-script.js';
import { beginAnswerOf, GEWE_BEGIN_LUA, type BeginAnswer } from '../../pacing/gewe-pacer.js';
import type { GeweJob } from '../../providers/gewe/schema.js';
import type { JobRef } from '../../queue/job-ref.js';
import type { GeweProcessorDeps } from './gewe-context.js';
import type { Pace } from './gewe-pace.js';

const takeAndBegin = composedScript(import.meta.url, 'take-and-begin.lua', { acquire: LOCK_ACQUIRE_LUA, begin: GEWE_BEGIN_LUA });

/**
 * The last check before the send (GewePacer.begin, marking the add in flight), as a step of
 * taking the account (AccountLocks.acquireThen): one round trip where it was two.
 */
export function beginWithTake(data: GeweJob, ref: JobRef, pace: Pace, deps: Pick<GeweProcessorDeps, 'pacer' | 'config'>): TakeStep {
  const step = deps.pacer.beginStep(data.appId, ref.stateId, pace.intervalMs, pace.kind, pace.cap, { ttlMs: deps.config.requestTtlMs });
  return { script: takeAndBegin, ...step };
}

/** What the check taken with the account answered; undefined when it did not run. */
export function begunWithTake(stepReply: unknown): BeginAnswer | undefined {
  return stepReply ? beginAnswerOf(stepReply) : undefined;
}
