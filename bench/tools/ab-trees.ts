/**
 * `npx tsx bench/tools/ab-trees.ts`: two worker trees, alternated, on tim-overhead's backlog (one
 * fresh worker, WORKER_CONCURRENCY 50, 50 accounts × AB_CALLS calls of 100 targets, the limit
 * lifted): each drain's calls/s at the simulator and the worker's CPU a call, then each tree's
 * medians. AB_TREES names two compiled trees beside package.json (default `dist-base,dist`: copy
 * another commit's `dist/` to `dist-base/` first); AB_ROUNDS rounds (default 6), the order flipped
 * each round. On a 2-vCPU VM a pair moves ±12 %: read medians of many rounds, and measure a change
 * of a few per cent by a profile of the worker instead (docs/benchmarks.md, twentieth sitting).
 */
import { Queue } from 'bullmq';
import { INPUT_QUEUE, RESULTS_QUEUE } from '../../src/queue/names.js';
import { cpuMeter, localRedisPid } from '../lib/cpu.js';
import { waitForInputDone } from '../lib/results.js';
import { inScope } from '../lib/scope.js';
import { startTimSim, timEnv } from '../lib/sims.js';
import { median, steadyRate } from '../lib/stats.js';
import { addInChunks, timBacklogJobs } from '../lib/tim-load.js';
import { productionNodeFlags, spawnWorkers } from '../lib/workers.js';

const trees = (process.env.AB_TREES ?? 'dist-base,dist').split(',');
const rounds = Number(process.env.AB_ROUNDS ?? 6);
const callsPerAccount = Number(process.env.AB_CALLS ?? 40);
const seen: Record<string, { rate: number[]; cpu: number[] }> = {};

await inScope('ab-trees', async (scope) => {
  const sim = await startTimSim(scope, { rate: 1_000_000 });
  const redisPid = await localRedisPid(scope.redis);
  const input = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix: scope.prefix });
  const results = new Queue(RESULTS_QUEUE, { connection: scope.redis, prefix: scope.prefix });
  scope.onClose(() => Promise.all([input.close(), results.close()]));
  for (let r = 0; r < rounds; r++) {
    for (const tree of r % 2 ? [...trees].reverse() : trees) {
      const tag = `${tree.replace(/\W/g, '')}${r}`;
      const jobs = timBacklogJobs({ accounts: 50, jobsPerAccount: callsPerAccount, targetsPerJob: 100, tag });
      await addInChunks(input, jobs, 500);
      const env = { ...timEnv(sim.url, 100_000), WORKER_CONCURRENCY: '50' };
      const [worker] = await spawnWorkers(scope, 1, env, [], { entry: `${tree}/workers/worker.js`, tsx: false, nodeFlags: productionNodeFlags() });
      const cpu = cpuMeter({ worker: [worker!.pid], redis: [redisPid] });
      const done = await waitForInputDone(scope.redis, scope.prefix, jobs.length, 120_000);
      const ms = cpu.stop().per(1);
      await worker!.stop();
      const arrivals = (await sim.arrivals()).filter((a) => a.fromAccount.startsWith(`${tag}_`));
      const rate = steadyRate(arrivals.map((a) => a.at));
      const cpuPerCall = (ms.worker ?? 0) / Math.max(1, arrivals.length);
      const figures = seen[tree] ?? { rate: [], cpu: [] };
      seen[tree] = figures;
      figures.rate.push(Math.round(rate));
      figures.cpu.push(Number(cpuPerCall.toFixed(3)));
      console.error(`round ${r} ${tree}: ${Math.round(rate)} calls/s, worker ${cpuPerCall.toFixed(3)} ms a call, failed jobs ${done.failed}`);
      await input.clean(0, 0, 'completed');
      await input.clean(0, 0, 'failed');
      await results.drain();
    }
  }
});
for (const [tree, v] of Object.entries(seen)) {
  console.log(JSON.stringify({ tree, callsPerSec: median(v.rate), workerMsPerCall: median(v.cpu), rounds: v }));
}
process.exit(0);
