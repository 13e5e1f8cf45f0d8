import { Queue } from 'bullmq';
import { RESULTS_QUEUE } from '../../src/queue/names.js';
import { log } from './log.js';
import { readResults, waitForInputDone } from './results.js';
import type { Scope } from './scope.js';
import type { SimProcess } from './sims.js';

/** What a warm-up did, so that the run's guarantees still cover it. */
export interface WarmedUp {
  jobs: number;
  /** Calls `sim` logged during the warm-up: the first `calls` of its arrival log. */
  calls: number;
  failedJobs: number;
  results: number;
  finished: boolean;
}

/**
 * Fresh worker processes spend their first calls compiling (V8's JIT) and filling their
 * connections' buffers: worker-start reports what starting costs. A throughput run measures what
 * running workers sustain, so the workers first drain a short backlog of their own (`jobs` jobs
 * on `input`, queued by the caller). Its jobs and result batches are then removed, so that the
 * measured load is counted alone; what it did is returned, for the guarantees (no failed job,
 * every target one result, the limit in every sliding second) to cover it too.
 */
export async function warmUp(scope: Scope, input: Queue, jobs: number, sim: Pick<SimProcess<unknown>, 'arrivals'>, deadlineMs: number): Promise<WarmedUp> {
  const done = await waitForInputDone(scope.redis, scope.prefix, jobs, deadlineMs);
  const results = new Queue(RESULTS_QUEUE, { connection: scope.redis, prefix: scope.prefix });
  try {
    const seen = await readResults(scope.redis, scope.prefix);
    // Nobody consumes friend-add-results in the bench: every batch is still waiting.
    await results.drain();
    await input.clean(0, 0, 'completed');
    await input.clean(0, 0, 'failed');
    const warmed = { jobs, calls: (await sim.arrivals()).length, failedJobs: done.failed, results: seen.results, finished: done.finished };
    log('warm-up:', warmed);
    return warmed;
  } finally {
    await results.close();
  }
}
