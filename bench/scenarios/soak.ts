import { createFriendAddClient } from '../../src/client/friend-add-client.js';
import { log, round } from '../lib/log.js';
import { passesPerJob, readResults, waitForInputDone } from '../lib/results.js';
import { rssFigures, thin } from '../lib/rss.js';
import { inScope } from '../lib/scope.js';
import { startTimSim, timEnv } from '../lib/sims.js';
import type { BenchContext, ScenarioReport } from '../lib/types.js';
import { sampleRss, spawnWorkers } from '../lib/workers.js';

const ACCOUNTS = 50;
const RSS_CEILING_MB = 250;

/**
 * 1M targets (quick: 100k) end to end with the limit lifted, through one worker process whose RSS
 * is read from /proc every second; then every target's result is counted.
 */
export async function soak(ctx: BenchContext): Promise<ScenarioReport> {
  const total = ctx.quick ? 100_000 : 1_000_000;
  const perAccount = total / ACCOUNTS;
  return inScope('soak', async (scope) => {
    const sim = await startTimSim(scope, { rate: 1_000_000 });
    const [worker] = await spawnWorkers(scope, 1, timEnv(sim.url, 100_000));
    const rss = sampleRss(worker!.pid, 1000);
    const client = createFriendAddClient({ connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => client.close());
    const t0 = Date.now();
    let jobs = 0;
    for (let a = 0; a < ACCOUNTS; a++) {
      const targets = Array.from({ length: perAccount }, (_, k) => ({ toAccount: `ok${a * perAccount + k}`, addSource: 'AddSource_Type_Web' }));
      jobs += (await client.submitTim({ requestId: `soak-${a}`, fromAccount: `soak_a${a}`, targets })).jobs;
    }
    log(`soak: ${total} targets submitted as ${jobs} jobs in ${Date.now() - t0} ms`);
    const done = await waitForInputDone(scope.redis, scope.prefix, jobs, ctx.quick ? 60_000 : 300_000);
    const elapsedMs = Date.now() - t0;
    const samples = rss.stop();
    const counts = new Uint8Array(total);
    let strangers = 0;
    const seen = await readResults(scope.redis, scope.prefix, (target) => {
      const i = Number(target.slice(2));
      if (Number.isInteger(i) && i >= 0 && i < total) counts[i] = Math.min(255, counts[i]! + 1);
      else strangers += 1;
    });
    const missing = counts.reduce((n, c) => n + (c === 0 ? 1 : 0), 0);
    const duplicated = counts.reduce((n, c) => n + (c > 1 ? 1 : 0), 0);
    const r = rssFigures(samples);
    const notes: string[] = [];
    if (r.peakMB >= RSS_CEILING_MB) notes.push(`peak RSS ${r.peakMB} MB ≥ ${RSS_CEILING_MB} MB`);
    if (r.flat === false) notes.push(`RSS grew ${r.secondHalfGrowthMB} MB over the second half (tolerance ${r.flatToleranceMB} MB)`);
    if (!done.finished) notes.push(`not every job finished within ${ctx.quick ? 60 : 300} s`);
    if (missing || duplicated || strangers) notes.push(`${missing} targets without a result, ${duplicated} with more than one, ${strangers} unknown`);
    // A short (quick) run is all warm-up: its flatness is not judged, and the report says so.
    const aside = r.flat === null ? [`only ${r.samples} RSS samples: too short to judge flatness (full run: 1M targets)`] : [];
    const report = {
      name: 'soak',
      setup: `${total} targets as ${ACCOUNTS} library requests (cut into ${jobs} jobs of 1000), 1 worker process (WORKER_CONCURRENCY 50), TIM_RATE_PER_SEC 100000, simulator limit lifted; RSS = VmRSS of the worker process every second, from its start to the last job done`,
      targets: total,
      jobs,
      elapsedMs,
      targetsPerSec: Math.round((total * 1000) / elapsedMs),
      results: seen.results,
      missing,
      duplicated,
      failedJobs: done.failed,
      finished: done.finished,
      passesPerJob: round(await passesPerJob(scope.redis, scope.prefix), 2),
      outcomes: seen.outcomes,
      rss: r,
      rssSeries: thin(samples),
      anchors: { rssCeilingMB: RSS_CEILING_MB },
      goal: `worker RSS < ${RSS_CEILING_MB} MB and flat (second-half trend ≤ max(5 MB, 5 % of its median)); every target exactly one result`,
      goalMet: notes.length === 0,
      ...((notes.length || aside.length) && { notes: [...notes, ...aside] }),
    };
    log('soak:', { ...report, rssSeries: `${report.rssSeries.length} points`, perSecond: round(report.targetsPerSec, 0) });
    return report;
  });
}
