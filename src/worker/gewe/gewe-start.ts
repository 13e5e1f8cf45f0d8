import type { GeweJob } from '../../providers/gewe/schema.js';
import type { JobRef } from '../../queue/job-ref.js';
import { INIT_JOB_LUA, type JobStart } from '../../queue/job-store.js';
import { composedScript } from '../../lib/lua-script.js';
import { reservationOf, type Reservation } from '../../pacing/gewe-pacer.js';
import type { GeweProcessorDeps } from './gewe-context.js';
import { DUE_WITHIN_MS, slotStep } from './gewe-pace.js';
import { BULLMQ_MOVE_TO_DELAYED, type DelayStep } from '../../queue/delaying-worker.js';

const startScript = composedScript(import.meta.url, 'gewe-start.lua', {
  initJob: INIT_JOB_LUA,
  reserve: new URL('../../pacing/scripts/gewe-reserve.lua', import.meta.url),
  delay: BULLMQ_MOVE_TO_DELAYED,
});

/** How a pass started: its state, its slot if it reserved one, and BullMQ's reply if its job was moved to delayed until that slot. */
export interface GewePassStart {
  start: JobStart;
  reserved?: Reservation;
  /** moveToDelayed's reply: 0 or the worker's next job (MovedToDelayed.next), or a negative error code. */
  moved?: unknown;
}

/**
 * A GeWe job's pass begins in one round trip (gewe-start.lua): the job counted into its request
 * and its state and account's read (JobStore.init), and, when it may call now, its slot in its
 * account's lane reserved (GewePacer.reserve), which a waiting pass then needs no step of its own
 * for. With `move` (DelayingWorker.delayStep), a job whose slot is ahead is also moved to delayed
 * until then, and the worker's next job fetched, in that same step.
 */
export async function startGewePass(data: GeweJob, ref: JobRef, deps: GeweProcessorDeps, move?: DelayStep): Promise<GewePassStart> {
  const step = slotStep(data, ref, deps);
  // The account's states are judged by the worker's clock, as settleByState judges them.
  const now = Date.now();
  const moveStep = step && move ? { keys: move.keys, args: [now + DUE_WITHIN_MS, ...move.args] } : { keys: [], args: [] };
  const more = step ? { keys: [...step.keys, ...moveStep.keys], args: [now, ...step.args, ...moveStep.args] } : { keys: [], args: [] };
  const [start, rest] = await deps.store.initThen<Omit<GewePassStart, 'start'>>(ref, 1, startScript, more, (reply) => {
    const [init, reservation, moved] = reply as [unknown, unknown, unknown];
    return [init, { reserved: reservation ? reservationOf(reservation) : undefined, moved }];
  });
  return { start, ...rest };
}
