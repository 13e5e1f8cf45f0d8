import { Queue } from 'bullmq';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import type { GeweArrival } from '../../src/sim/gewe/index.js';
import { cpuMeter, localRedisPid } from '../lib/cpu.js';
import { dump } from '../lib/dump.js';
import { log, round } from '../lib/log.js';
import { passesPerJob, readResults, waitForInputDone } from '../lib/results.js';
import { inScope } from '../lib/scope.js';
import { geweEnv, startGeweSim } from '../lib/sims.js';
import { median } from '../lib/stats.js';
import { addInChunks } from '../lib/tim-load.js';
import type { BenchContext, ScenarioReport } from '../lib/types.js';
import { spawnWorkers } from '../lib/workers.js';
import { atLeast, atMost, exactly, holds, verdict } from '../lib/verdicts.js';

const ACCOUNTS = 200;
const JOBS_PER_ACCOUNT = 5;
const INTERVAL_MS = 1000;
const CONCURRENCY = 10;

/**
 * Many paced accounts through few worker slots: 200 accounts × 5 adds, 1 s apart per account, one
 * worker process at concurrency 10. Waiting jobs are delayed in Redis and hold no slot, so the
 * whole run should take little more than the last account's 4 intervals.
 */
export async function geweFairness(_ctx: BenchContext): Promise<ScenarioReport> {
  return inScope('gewe', async (scope) => {
    const sim = await startGeweSim(scope);
    const [worker] = await spawnWorkers(scope, 1, {
      ...geweEnv(sim.url),
      GEWE_NEW_INTERVAL_MS: String(INTERVAL_MS),
      GEWE_INTERVAL_MS: String(INTERVAL_MS),
      GEWE_JITTER: '0',
      GEWE_DAILY_CAP_NEW: '1000',
      GEWE_DAILY_CAP: '1000',
      GEWE_DAILY_CAP_ACCEPT: '1000',
      WORKER_CONCURRENCY: String(CONCURRENCY),
    });
    const input = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => input.close());
    // Grouped by account (a0 ×5, a1 ×5, ...): the order in which a FIFO would serve a0 first.
    const jobs = Array.from({ length: ACCOUNTS * JOBS_PER_ACCOUNT }, (_, i) => {
      const a = Math.floor(i / JOBS_PER_ACCOUNT);
      const data = { requestId: 'gewe-fair', appId: `wx_bench_${a}`, scene: 3, option: 2, v3: `v3_bench_${a}_${i}`, v4: 'v4_bench', content: 'hi' };
      return { name: 'gewe', data };
    });
    const cpu = cpuMeter({ worker: [worker!.pid], simulator: [sim.pid], redis: [await localRedisPid(scope.redis)] });
    const startedAt = performance.timeOrigin + performance.now();
    await addInChunks(input, jobs, 1000);
    const done = await waitForInputDone(scope.redis, scope.prefix, jobs.length, 60_000);
    const cpuUsed = cpu.stop();
    const arrivals = await sim.arrivals();
    const cpuMsPerCall = cpuUsed.per(arrivals.length);
    dump('gewe-fairness', { startedAt, arrivals });
    const seen = await readResults(scope.redis, scope.prefix);
    const latencyMs = median(arrivals.map((a) => (a.endedAt ?? a.at) - a.at));
    const idealMs = (JOBS_PER_ACCOUNT - 1) * INTERVAL_MS + latencyMs;
    const wallMs = seen.lastWrittenAt - startedAt;
    const lastCallEndedMs = Math.max(...arrivals.map((a) => a.endedAt ?? a.at)) - startedAt;
    const spacing = leastSpacing(arrivals);
    const ratio = wallMs / idealMs;
    const subject = `1 worker, WORKER_CONCURRENCY ${CONCURRENCY}`;
    const overlaps = arrivals.filter((a) => a.overlap).length;
    const checks = [
      atMost(
        {
          subject,
          figure: 'wall ÷ ideal',
          detail: ` (${Math.round(wallMs).toLocaleString('en-US')} ms)`,
          beside: `bound: ideal ${Math.round(idealMs).toLocaleString('en-US')} ms = ${JOBS_PER_ACCOUNT - 1} × ${INTERVAL_MS} ms + median call latency (computed)`,
        },
        round(ratio, 3),
        1.3,
      ),
      atLeast(
        { subject, figure: 'least spacing per account at arrival (ms)', fmt: (v) => `${v} ms`, beside: `floor: I − 20 ms` },
        round(spacing.leastMs, 1),
        INTERVAL_MS - 20,
        `≥ ${INTERVAL_MS - 20} ms`,
      ),
      exactly({ subject, figure: 'overlapping calls of one account' }, overlaps, 0),
      exactly({ subject, figure: 'failed jobs' }, done.failed, 0),
      exactly({ subject, figure: 'results (one per add)' }, seen.results, jobs.length),
      holds(
        {
          subject,
          figure: 'every job done',
          measured: done.finished ? `${jobs.length} of ${jobs.length}` : `${done.completed + done.failed} of ${jobs.length}`,
        },
        done.finished,
        'within 60 s',
      ),
    ];
    const v = verdict(checks);
    const report = {
      name: 'gewe-fairness',
      setup: `${ACCOUNTS} accounts × ${JOBS_PER_ACCOUNT} jobs enqueued grouped by account, interval ${INTERVAL_MS} ms (new and seasoned), GEWE_JITTER 0, caps 1000, 1 worker process at WORKER_CONCURRENCY ${CONCURRENCY}; wall = enqueue start → last result written`,
      calls: arrivals.length,
      results: seen.results,
      failedJobs: done.failed,
      wallMs: Math.round(wallMs),
      lastCallEndedMs: Math.round(lastCallEndedMs),
      callLatencyMs: round(latencyMs, 1),
      idealMs: Math.round(idealMs),
      wallRatio: round(ratio, 3),
      leastSpacingMs: round(spacing.leastMs, 1),
      accountsBelowInterval: spacing.below,
      overlaps,
      cpuMsPerCall,
      passesPerJob: round(await passesPerJob(scope.redis, scope.prefix), 2),
      anchors: {},
      bounds: { idealMs: Math.round(idealMs), leastSpacingFloorMs: INTERVAL_MS - 20 },
      checks,
      goal: `wall ÷ ideal (4 × I + one call's latency) ≤ 1.3; least spacing per account at arrival ≥ I − 20 ms (${INTERVAL_MS - 20} ms); no overlap, no failed job, one result per add`,
      goalMet: v.goalMet,
      ...(v.failed.length && { notes: v.failed }),
    };
    log('gewe-fairness:', report);
    return report;
  });
}

/** The least gap between two arrivals of one account, over all accounts. */
function leastSpacing(arrivals: readonly GeweArrival[]): { leastMs: number; below: number } {
  const byAccount = new Map<string, number[]>();
  for (const a of arrivals) byAccount.set(a.appId, [...(byAccount.get(a.appId) ?? []), a.at]);
  let leastMs = Infinity;
  let below = 0;
  for (const times of byAccount.values()) {
    times.sort((x, y) => x - y);
    let least = Infinity;
    for (let i = 1; i < times.length; i++) least = Math.min(least, times[i]! - times[i - 1]!);
    if (least < INTERVAL_MS - 20) below += 1;
    leastMs = Math.min(leastMs, least);
  }
  return { leastMs, below };
}
