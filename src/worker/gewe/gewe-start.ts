import type { GeweJob } from '../../providers/gewe/schema.js';
import type { JobRef } from '../../queue/job-ref.js';
import type { JobStart } from '../../queue/job-store.js';
import { composedScript } from '../../lib/lua-script.js';
import { reservationOf, type Reservation } from '../../pacing/gewe-pacer.js';
import type { GeweProcessorDeps } from './gewe-context.js';
import { slotStep } from './gewe-pace.js';

const startScript = composedScript(import.meta.url, 'gewe-start.lua', {
  initJob: new URL('../../queue/scripts/init-job.lua', import.meta.url),
  reserve: new URL('../../pacing/scripts/gewe-reserve.lua', import.meta.url),
});

/**
 * A GeWe job's pass begins in one round trip (gewe-start.lua): the job counted into its request
 * and its state and account's read (JobStore.init), and, when it may call now, its slot in its
 * account's lane reserved (GewePacer.reserve), which a waiting pass then needs no step of its own for.
 */
export async function startGewePass(data: GeweJob, ref: JobRef, deps: GeweProcessorDeps): Promise<{ start: JobStart; reserved?: Reservation }> {
  const step = slotStep(data, ref, deps);
  // The account's states are judged by the worker's clock, as settleByState judges them.
  const more = step ? { keys: step.keys, args: [Date.now(), ...step.args] } : { keys: [], args: [] };
  const [start, reserved] = await deps.store.initThen(ref, 1, startScript, more, (reply) => {
    const [init, reservation] = reply as [unknown, unknown];
    return [init, reservation ? reservationOf(reservation) : undefined];
  });
  return { start, reserved };
}
