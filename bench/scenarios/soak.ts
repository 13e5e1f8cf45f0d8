import { Queue } from 'bullmq';
import { createFriendAddClient } from '../../src/client/friend-add-client.js';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import { log, round, sleep } from '../lib/log.js';
import { passesPerJob, readResults, waitForInputDone } from '../lib/results.js';
import { rssFigures, SAMPLE_EVERY_MS, thin } from '../lib/rss.js';
import { inScope } from '../lib/scope.js';
import { GC_TRACE_ARGS, heapAfterMarkCompact, liveHeapFigures, MIN_COLLECTIONS, type LiveHeapPoint } from '../lib/live-heap.js';
import { startTimSim, timEnv } from '../lib/sims.js';
import type { BenchContext, ScenarioReport } from '../lib/types.js';
import { below, exactly, holds, reported, verdict } from '../lib/verdicts.js';
import { sampleRss, spawnWorkers } from '../lib/workers.js';

const ACCOUNTS = 50;
/** Targets per account per round: one round is 50 requests of 2000, cut into 100 jobs of 1000. */
const PER_ACCOUNT = 2000;
const JOBS_PER_ROUND = (ACCOUNTS * PER_ACCOUNT) / 1000;
/** Jobs kept queued ahead of the worker: always more than its 50 slots, never an idle gap. */
const AHEAD = 3 * JOBS_PER_ROUND;
const RSS_CEILING_MB = 250;
const CONCURRENCY = 50;

/**
 * How long work is fed: a fixed time, so that flatness has a second half long enough to judge.
 * Quick: 17 s, whose second half held 9 full collections on a 2-vCPU VM (6 are needed; 6 at 15 s); the
 * quick run gave 3 s of the 20 it had to the reference commit's run (tim-throughput).
 */
export function soakFeedMs(quick: boolean): number {
  return quick ? 17_000 : 40_000;
}

/**
 * TIM work fed for a fixed time (40 s; quick 17 s) with the limit lifted, through one worker
 * process at WORKER_CONCURRENCY 50 whose RSS is read from /proc every 250 ms and whose full
 * collections V8 traces; then every target's result is counted by name. The peak RSS is judged
 * over the whole run; what must stay flat while fed is the live heap (bench/lib/live-heap.ts). Rounds of 100,000
 * targets are submitted through the library while fewer than 300 jobs wait, so the worker always
 * has a backlog and the queue never grows without bound.
 */
export async function soak(ctx: BenchContext): Promise<ScenarioReport> {
  const feedMs = soakFeedMs(ctx.quick);
  return inScope('soak', async (scope) => {
    const sim = await startTimSim(scope, { rate: 1_000_000 });
    const [worker] = await spawnWorkers(scope, 1, { ...timEnv(sim.url, 100_000), WORKER_CONCURRENCY: String(CONCURRENCY) }, GC_TRACE_ARGS);
    const rss = sampleRss(worker!.pid, SAMPLE_EVERY_MS);
    const liveHeap: LiveHeapPoint[] = [];
    worker!.onLine((line) => {
      const mb = heapAfterMarkCompact(line);
      if (mb !== undefined) liveHeap.push({ t: rss.elapsedMs(), mb });
    });
    const client = createFriendAddClient({ connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => client.close());
    const input = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => input.close());
    const t0 = Date.now();
    let jobs = 0;
    let total = 0;
    let rounds = 0;
    while (Date.now() - t0 < feedMs) {
      const c = await input.getJobCounts('completed', 'failed');
      if (jobs - (c.completed ?? 0) - (c.failed ?? 0) >= AHEAD) {
        await sleep(50);
        continue;
      }
      for (let a = 0; a < ACCOUNTS; a++) {
        const targets = Array.from({ length: PER_ACCOUNT }, (_, k) => ({ toAccount: `ok${total + k}`, addSource: 'AddSource_Type_Web' }));
        total += PER_ACCOUNT;
        jobs += (await client.submitTim({ requestId: `soak-${rounds}-${a}`, fromAccount: `soak_a${a}`, targets })).jobs;
      }
      rounds += 1;
    }
    const fedUntilMs = rss.elapsedMs();
    log(`soak: ${total} targets submitted as ${jobs} jobs in ${rounds} rounds over ${Date.now() - t0} ms`);
    const done = await waitForInputDone(scope.redis, scope.prefix, jobs, 120_000);
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
    const r = rssFigures(samples, fedUntilMs);
    const heap = liveHeapFigures(liveHeap, fedUntilMs);
    const subject = `1 worker, WORKER_CONCURRENCY ${CONCURRENCY}`;
    const checks = [
      below({ subject, figure: 'worker peak RSS (MB)', fmt: (v) => `${v} MB` }, r.peakMB, RSS_CEILING_MB, `< ${RSS_CEILING_MB} MB`),
      holds(
        {
          subject,
          figure: 'live heap flat over the second half of the feed (MB left by each full collection)',
          measured: heap.judged
            ? `grew ${heap.growthMB} MB from ${round(heap.judgedFromMs / 1000, 1)} s to ${round(heap.judgedToMs / 1000, 1)} s (${heap.judgedCollections} collections, median ${heap.medianMB} MB)`
            : `not judged: ${heap.notJudgedBecause}`,
          beside: `tolerance ${heap.toleranceMB} MB`,
        },
        heap.flat,
        `flat, judged on ≥ ${MIN_COLLECTIONS} full collections`,
      ),
      reported(
        {
          subject,
          figure: 'RSS growth over the second half of the feed (MB)',
          detail: r.judged
            ? ` (${r.samples} samples; not judged: RSS swings with the garbage between full collections)`
            : ` (not enough samples: ${r.notJudgedBecause})`,
        },
        r.secondHalfGrowthMB,
      ),
      exactly({ subject, figure: 'targets without a result' }, missing, 0),
      exactly({ subject, figure: 'targets with more than one result' }, duplicated, 0),
      exactly({ subject, figure: 'results for no target we sent' }, strangers, 0),
      exactly({ subject, figure: 'failed jobs' }, done.failed, 0),
      holds(
        { subject, figure: 'every job done', measured: done.finished ? `${jobs} of ${jobs}` : `${done.completed + done.failed} of ${jobs}` },
        done.finished,
        'within 120 s of the feed ending',
      ),
      reported({ subject, figure: 'targets fed and done', detail: ` (${Math.round((total * 1000) / elapsedMs).toLocaleString('en-US')} targets/s)` }, total),
    ];
    const v = verdict(checks);
    const report = {
      name: 'soak',
      setup: `TIM work fed for ${feedMs / 1000} s in rounds of ${ACCOUNTS} library requests of ${PER_ACCOUNT} targets (cut into jobs of 1000) while fewer than ${AHEAD} jobs wait, 1 worker process (WORKER_CONCURRENCY ${CONCURRENCY}), TIM_RATE_PER_SEC 100000, simulator limit lifted; RSS = VmRSS of the worker process every ${SAMPLE_EVERY_MS} ms, from its start to the last job done`,
      targets: total,
      jobs,
      rounds,
      elapsedMs,
      targetsPerSec: Math.round((total * 1000) / elapsedMs),
      results: seen.results,
      missing,
      duplicated,
      strangers,
      failedJobs: done.failed,
      finished: done.finished,
      passesPerJob: round(await passesPerJob(scope.redis, scope.prefix), 2),
      outcomes: seen.outcomes,
      rss: r,
      rssSeries: thin(samples),
      liveHeap: heap,
      liveHeapSeries: liveHeap.map((p) => ({ t: round(p.t / 1000, 1), mb: p.mb })),
      anchors: {},
      bounds: { rssCeilingMB: RSS_CEILING_MB },
      checks,
      goal: `worker RSS < ${RSS_CEILING_MB} MB over the whole run (sampled every ${SAMPLE_EVERY_MS} ms); live heap flat while fed (what each full collection leaves, V8's --trace-gc: over the feed's second half, the least heap left in its last third at most max(2 MB, 10 % of the median) above the least in its first, judged only on ≥ ${MIN_COLLECTIONS} collections: fewer is not met); every target exactly one result; no failed job`,
      goalMet: v.goalMet,
      ...(v.failed.length && { notes: v.failed }),
    };
    log('soak:', { ...report, rssSeries: `${report.rssSeries.length} points`, checks: `${checks.length}` });
    return report;
  });
}
