import { existsSync, lstatSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { REFERENCE_COMMIT, referenceWorker } from '../../bench/lib/reference-tree.js';
import { readResults, waitForInputDone } from '../../bench/lib/results.js';
import { benchScopes } from '../helpers/bench-scopes.js';
import { startTimSim, timEnv } from '../../bench/lib/sims.js';
import { spawnWorkers } from '../../bench/lib/workers.js';
import { timBacklogJobs } from '../../bench/lib/tim-load.js';
import { INPUT_QUEUE } from '../../src/queue/names.js';

describe(`the reference commit's workers (${REFERENCE_COMMIT})`, () => {
  const openScope = benchScopes();

  it("are taken from this checkout's history, beside our node_modules", () => {
    const worker = referenceWorker();
    expect(worker).toMatchObject({ ok: true, tsx: true });
    if (!worker.ok) return;
    const tree = dirname(dirname(worker.entry));
    expect(existsSync(worker.entry)).toBe(true);
    expect(lstatSync(join(tree, 'node_modules')).isSymbolicLink()).toBe(true);
    // The tree is the reference's, not ours: it predates the late-answer rule.
    expect(existsSync(join(tree, 'src/limiter/answer-floor.ts'))).toBe(false);
  });

  it("drain today's bench backlog against today's simulator, one result per target", async () => {
    const worker = referenceWorker();
    if (!worker.ok) throw new Error(worker.why);
    const scope = openScope('test-reference');
    const sim = await startTimSim(scope, { rate: 100 });
    const input = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => input.close());
    const jobs = timBacklogJobs({ accounts: 2, jobsPerAccount: 2, targetsPerJob: 5, tag: 'ref' });
    await input.addBulk(jobs);
    await spawnWorkers(scope, 1, timEnv(sim.url, 100), [], worker);
    const done = await waitForInputDone(scope.redis, scope.prefix, jobs.length, 30_000);
    expect(done).toEqual({ completed: 4, failed: 0, finished: true });
    expect((await readResults(scope.redis, scope.prefix)).results).toBe(20);
    expect(await sim.arrivals()).toHaveLength(4);
  }, 60_000);
});
