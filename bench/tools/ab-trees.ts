/**
 * `npx tsx bench/tools/ab-trees.ts`: two worker trees, alternated, on tim-overhead's backlog (one
 * fresh worker, WORKER_CONCURRENCY 50, 50 accounts × AB_CALLS calls of 100 targets, the limit
 * lifted), each drained as tim-overhead drains its sides (its `drain`): each drain's calls/s at
 * the simulator and the worker's CPU a call, then each tree's medians. AB_TREES names two compiled
 * trees beside package.json (default `dist-base,dist`: copy another commit's `dist/` to
 * `dist-base/` first); AB_ROUNDS rounds (default 6), the order flipped each round. On a 2-vCPU VM
 * a pair moves ±12 %: read medians of many rounds, and measure a change of a few per cent by a
 * profile of the worker instead (docs/benchmarks.md, twentieth sitting).
 */
import { inScope } from '../lib/scope.js';
import { timEnv } from '../lib/sims.js';
import { median } from '../lib/stats.js';
import { productionLaunch, spawnWorkers } from '../lib/workers.js';
import { drain, openStage } from '../scenarios/tim-overhead.js';

const trees = (process.env.AB_TREES ?? 'dist-base,dist').split(',');
const rounds = Number(process.env.AB_ROUNDS ?? 6);
const callsPerAccount = Number(process.env.AB_CALLS ?? 40);
const seen: Record<string, { rate: number[]; cpu: number[] }> = {};

await inScope('ab-trees', async (scope) => {
  const { sim, redisPid, queues } = await openStage(scope);
  const env = { ...timEnv(sim.url, 100_000), WORKER_CONCURRENCY: '50' };
  const launch = productionLaunch();
  for (let r = 0; r < rounds; r++) {
    for (const tree of r % 2 ? [...trees].reverse() : trees) {
      const worker = { entry: `${tree}/workers/worker.js`, tsx: false, ...launch };
      const start = async () => (await spawnWorkers(scope, 1, env, [], worker))[0]!;
      const tag = `${tree.replace(/\W/g, '')}${r}`;
      const { side, failed } = await drain(scope, queues, sim, { tag, callsPerAccount, redisPid, quick: false }, start);
      const cpuPerCall = (side.cpuMs.worker ?? 0) / Math.max(1, side.calls);
      const figures = seen[tree] ?? { rate: [], cpu: [] };
      seen[tree] = figures;
      figures.rate.push(Math.round(side.callsPerSec));
      figures.cpu.push(Number(cpuPerCall.toFixed(3)));
      console.error(`round ${r} ${tree}: ${Math.round(side.callsPerSec)} calls/s, worker ${cpuPerCall.toFixed(3)} ms a call, failed jobs ${failed}`);
    }
  }
});
for (const [tree, v] of Object.entries(seen)) {
  console.log(JSON.stringify({ tree, callsPerSec: median(v.rate), workerMsPerCall: median(v.cpu), rounds: v }));
}
process.exit(0);
