import { Queue, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { warmUp } from '../../bench/lib/warm-up.js';
import { readResults } from '../../bench/lib/results.js';
import type { Scope } from '../../bench/lib/scope.js';
import { benchScopes } from '../helpers/bench-scopes.js';
import { INPUT_QUEUE, RESULTS_QUEUE } from '../../src/queue/names.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * A stand-in for the workers: takes input jobs and writes one result batch per job, with one
 * result per target, as ours do (failing a job whose data says so).
 */
function standInWorker(scope: Scope): Worker {
  const results = new Queue(RESULTS_QUEUE, { connection: scope.redis, prefix: scope.prefix });
  scope.onClose(() => results.close());
  const worker = new Worker(
    INPUT_QUEUE,
    async (job) => {
      const { targets, fail } = job.data as { targets: string[]; fail?: boolean };
      if (fail) throw new Error('this job fails');
      await results.add('tim', { requestId: 'r', results: targets.map((target) => ({ target, outcome: 'added' })) });
    },
    { connection: scope.redis, prefix: scope.prefix },
  );
  scope.onClose(() => worker.close());
  return worker;
}

describe('warmUp', () => {
  const openScope = benchScopes();

  it('waits for the warm-up jobs, reports what they did, and leaves only the measured load counted', async () => {
    const scope = openScope('test-warm-up');
    const input = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => input.close());
    await input.addBulk([
      { name: 'tim', data: { targets: ['a', 'b'] } },
      { name: 'tim', data: { targets: ['c', 'd', 'e'] } },
      { name: 'tim', data: { targets: ['f'], fail: true } },
    ]);
    standInWorker(scope);

    // A simulator that logged 7 calls meanwhile.
    const sim = { arrivals: async () => Array.from({ length: 7 }) };
    const warm = await warmUp(scope, input, 3, sim, 20_000);

    expect(warm).toEqual({ jobs: 3, calls: 7, failedJobs: 1, results: 5, finished: true });
    // Its jobs and batches are gone: what is counted next is the measured load's alone.
    expect(await input.getJobCounts('completed', 'failed')).toEqual({ completed: 0, failed: 0 });
    expect((await readResults(scope.redis, scope.prefix)).results).toBe(0);
    await input.add('tim', { targets: ['g', 'h'] });
    await waitFor('the measured job', async () => (await input.getJobCounts('completed')).completed === 1);
    expect((await readResults(scope.redis, scope.prefix)).results).toBe(2);
  });

  it('reports a warm-up that did not finish by its deadline as unfinished', async () => {
    const scope = openScope('test-warm-up-late');
    const input = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => input.close());
    await input.add('tim', { targets: ['a'] });
    // No worker: the job never runs.
    const warm = await warmUp(scope, input, 1, { arrivals: async () => [] }, 300);
    expect(warm).toMatchObject({ jobs: 1, failedJobs: 0, results: 0, finished: false });
  });
});
