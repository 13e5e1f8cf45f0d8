import { Queue } from 'bullmq';
import { NodeChild, readyUrl } from '../lib/child.js';
import { REDIS_URL } from '../lib/redis.js';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import type { GeweArrival } from '../../src/sim/gewe/index.js';
import { cpuMeter, localRedisPid } from '../lib/cpu.js';
import { dump } from '../lib/dump.js';
import { log, round } from '../lib/log.js';
import { passesPerJob, readResults, waitForInputDone } from '../lib/results.js';
import { inScope, type Scope } from '../lib/scope.js';
import { BENCH_GEWE_TOKEN, geweEnv, startGeweSim, type SimProcess } from '../lib/sims.js';
import { median } from '../lib/stats.js';
import { addInChunks } from '../lib/tim-load.js';
import type { BenchContext, ScenarioReport } from '../lib/types.js';
import { spawnWorkers } from '../lib/workers.js';
import { warmUp, type WarmedUp } from '../lib/warm-up.js';
import { atLeast, atMost, exactly, holds, verdict } from '../lib/verdicts.js';

const ACCOUNTS = 200;
const JOBS_PER_ACCOUNT = 5;
const INTERVAL_MS = 1000;
const CONCURRENCY = 10;
/** Accounts of the warm-up, one add each: two rounds of the worker's slots. */
const WARM_UP_ACCOUNTS = 2 * CONCURRENCY;

/** What one run of the load shows, for ours and for the anchor alike. */
interface FairnessRun {
  /** The warm-up's jobs (warm-up.ts): in the guarantees, not the figures. */
  warm: WarmedUp;
  startedAt: number;
  arrivals: GeweArrival[];
  done: Awaited<ReturnType<typeof waitForInputDone>>;
  cpuMsPerCall: Record<string, number>;
  latencyMs: number;
  idealMs: number;
  lastCallEndedMs: number;
  /** When the account served last made its first call: what every first pass before it cost. */
  lastFirstCallMs: number;
}

const jobsOfLoad = () =>
  // Grouped by account (a0 ×5, a1 ×5, ...): the order in which a FIFO would serve a0 first.
  Array.from({ length: ACCOUNTS * JOBS_PER_ACCOUNT }, (_, i) => {
    const a = Math.floor(i / JOBS_PER_ACCOUNT);
    const data = { requestId: 'gewe-fair', appId: `wx_bench_${a}`, scene: 3, option: 2, v3: `v3_bench_${a}_${i}`, v4: 'v4_bench', content: 'hi' };
    return { name: 'gewe', data };
  });

/** One add each for accounts of their own: a worker that has run before the load, as in production. */
const warmUpJobs = () =>
  Array.from({ length: WARM_UP_ACCOUNTS }, (_, a) => {
    const data = { requestId: 'gewe-warm', appId: `wx_warm_${a}`, scene: 3, option: 2, v3: `v3_warm_${a}`, v4: 'v4_bench', content: 'hi' };
    return { name: 'gewe', data };
  });

/**
 * Warms the running worker process up (warm-up.ts), then enqueues the load and waits until every
 * job is done.
 */
async function runLoad(scope: Scope, sim: SimProcess<GeweArrival>, workerPid: number): Promise<FairnessRun> {
  const input = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix: scope.prefix });
  scope.onClose(() => input.close());
  const warmJobs = await addInChunks(input, warmUpJobs());
  const warm = await warmUp(scope, input, warmJobs, sim, 60_000);
  const jobs = jobsOfLoad();
  const cpu = cpuMeter({ worker: [workerPid], simulator: [sim.pid], redis: [await localRedisPid(scope.redis)] });
  const startedAt = performance.timeOrigin + performance.now();
  await addInChunks(input, jobs, 1000);
  const done = await waitForInputDone(scope.redis, scope.prefix, jobs.length, 60_000);
  const cpuUsed = cpu.stop();
  const arrivals = (await sim.arrivals()).slice(warm.calls);
  const latencyMs = median(arrivals.map((a) => (a.endedAt ?? a.at) - a.at));
  return {
    warm,
    startedAt,
    arrivals,
    done,
    cpuMsPerCall: cpuUsed.per(arrivals.length),
    latencyMs,
    idealMs: (JOBS_PER_ACCOUNT - 1) * INTERVAL_MS + latencyMs,
    lastCallEndedMs: Math.max(...arrivals.map((a) => a.endedAt ?? a.at)) - startedAt,
    lastFirstCallMs: lastFirstCall(arrivals) - startedAt,
  };
}

/**
 * Many paced accounts through few worker slots: 200 accounts × 5 adds, 1 s apart per account, one
 * worker process at concurrency 10. Waiting jobs are delayed in Redis and hold no slot, so the
 * whole run should take little more than the last account's 4 intervals. The anchor, a hand-rolled
 * BullMQ worker pacing in memory (bench/anchors/gewe-anchor-worker.ts), runs the same load after
 * ours: what BullMQ's passes and the HTTP calls alone cost on this machine in this run. Both
 * first serve a short warm-up of accounts of their own (warm-up.ts): the figure is what a running
 * worker does with such a load, not what a process still compiling does.
 */
export async function geweFairness(_ctx: BenchContext): Promise<ScenarioReport> {
  const ours = await inScope('gewe', async (scope) => {
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
    const run = await runLoad(scope, sim, worker!.pid);
    dump('gewe-fairness', { startedAt: run.startedAt, arrivals: run.arrivals });
    const seen = await readResults(scope.redis, scope.prefix);
    return { ...run, seen, passesPerJob: round(await passesPerJob(scope.redis, scope.prefix), 2) };
  });
  const anchor = await inScope('gewe-anchor', async (scope) => {
    const sim = await startGeweSim(scope);
    const env = {
      REDIS_URL,
      QUEUE_PREFIX: scope.prefix,
      GEWE_BASE_URL: sim.url,
      GEWE_TOKEN: BENCH_GEWE_TOKEN,
      CONCURRENCY: String(CONCURRENCY),
      INTERVAL_MS: String(INTERVAL_MS),
    };
    const worker = await scope.start(NodeChild.start({ label: 'gewe anchor', entry: 'bench/anchors/gewe-anchor-worker.ts', env, ready: readyUrl }));
    return runLoad(scope, sim, worker.pid);
  });
  const { arrivals, done, seen, idealMs, startedAt } = ours;
  const wallMs = seen.lastWrittenAt - startedAt;
  const spacing = leastSpacing(arrivals);
  const ratio = wallMs / idealMs;
  const subject = `1 worker, WORKER_CONCURRENCY ${CONCURRENCY}`;
  const overlaps = arrivals.filter((a) => a.overlap).length;
  const anchorFigures = {
    lastCallEndedMs: Math.round(anchor.lastCallEndedMs),
    lastCallEndedRatio: round(anchor.lastCallEndedMs / anchor.idealMs, 3),
    lastFirstCallMs: Math.round(anchor.lastFirstCallMs),
    calls: anchor.arrivals.length,
    failedJobs: anchor.done.failed,
    leastSpacingMs: round(leastSpacing(anchor.arrivals).leastMs, 1),
    cpuMsPerCall: anchor.cpuMsPerCall,
  };
  log('gewe-fairness anchor (hand-rolled BullMQ worker, pacing in memory):', anchorFigures);
  const jobCount = ACCOUNTS * JOBS_PER_ACCOUNT;
  const checks = [
    atMost(
      {
        subject,
        figure: 'wall ÷ ideal',
        detail: ` (${Math.round(wallMs).toLocaleString('en-US')} ms)`,
        beside: `bound: ideal ${Math.round(idealMs).toLocaleString('en-US')} ms = ${JOBS_PER_ACCOUNT - 1} × ${INTERVAL_MS} ms + median call latency (computed); anchor (hand-rolled BullMQ worker, no state, no results): its last call ended at ${anchorFigures.lastCallEndedRatio} of its ideal`,
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
    // The warm-up's jobs count in these two: its adds too must end once each, none failed.
    exactly({ subject, figure: 'failed jobs' }, done.failed + ours.warm.failedJobs, 0),
    exactly({ subject, figure: 'results (one per add)' }, seen.results + ours.warm.results, jobCount + ours.warm.jobs),
    holds(
      {
        subject,
        figure: 'every job done',
        measured: done.finished ? `${jobCount} of ${jobCount}` : `${done.completed + done.failed} of ${jobCount}`,
      },
      done.finished && ours.warm.finished,
      'within 60 s',
    ),
    // Its figures stand beside ours: they mean something only if it ran the whole load.
    holds(
      {
        subject: 'anchor, hand-rolled BullMQ worker',
        figure: 'every job done, every add called once',
        measured: `${anchor.done.completed + anchor.done.failed} of ${jobCount} jobs, ${anchor.arrivals.length} calls`,
      },
      anchor.done.finished && anchor.warm.finished && anchor.arrivals.length === jobCount,
      'within 60 s',
    ),
  ];
  const v = verdict(checks);
  const report = {
    name: 'gewe-fairness',
    setup: `${ACCOUNTS} accounts × ${JOBS_PER_ACCOUNT} jobs enqueued grouped by account, interval ${INTERVAL_MS} ms (new and seasoned), GEWE_JITTER 0, caps 1000, 1 worker process at WORKER_CONCURRENCY ${CONCURRENCY}, warmed up first by ${WARM_UP_ACCOUNTS} adds of accounts of their own (not measured; in the failed-job and result checks), as is the anchor; wall = enqueue start → last result written`,
    calls: arrivals.length,
    results: seen.results,
    failedJobs: done.failed,
    wallMs: Math.round(wallMs),
    lastCallEndedMs: Math.round(ours.lastCallEndedMs),
    lastFirstCallMs: Math.round(ours.lastFirstCallMs),
    callLatencyMs: round(ours.latencyMs, 1),
    idealMs: Math.round(idealMs),
    wallRatio: round(ratio, 3),
    leastSpacingMs: round(spacing.leastMs, 1),
    accountsBelowInterval: spacing.below,
    overlaps,
    cpuMsPerCall: ours.cpuMsPerCall,
    passesPerJob: ours.passesPerJob,
    anchors: { 'hand-rolled-bullmq-worker-pacing-in-memory': anchorFigures },
    bounds: { idealMs: Math.round(idealMs), leastSpacingFloorMs: INTERVAL_MS - 20 },
    checks,
    goal: `wall ÷ ideal (4 × I + one call's latency) ≤ 1.3; least spacing per account at arrival ≥ I − 20 ms (${INTERVAL_MS - 20} ms); no overlap, no failed job, one result per add`,
    goalMet: v.goalMet,
    ...(v.failed.length && { notes: v.failed }),
  };
  log('gewe-fairness:', report);
  return report;
}

/** The first call of the account whose first call came last. */
function lastFirstCall(arrivals: readonly GeweArrival[]): number {
  const first = new Map<string, number>();
  for (const a of arrivals) first.set(a.appId, Math.min(first.get(a.appId) ?? Infinity, a.at));
  return Math.max(...first.values());
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
