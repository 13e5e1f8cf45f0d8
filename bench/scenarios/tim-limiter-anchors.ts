import { Queue } from 'bullmq';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import { NodeChild, readyUrl } from '../lib/child.js';
import { log } from '../lib/log.js';
import { deleteMatching } from '../lib/redis.js';
import { waitForInputDone } from '../lib/results.js';
import { inScope } from '../lib/scope.js';
import { startTimSim } from '../lib/sims.js';
import { anchorWorkerEnv } from '../lib/anchor-worker-env.js';
import { arrivalFigures, reportable } from '../lib/tim-arrivals.js';
import { addInChunks, timBacklogJobs } from '../lib/tim-load.js';
import { TIM_LIMIT, timBacklogSize, type BenchContext, type ScenarioReport } from '../lib/types.js';
import { runTimBacklog, type TimRun } from './tim-throughput.js';
import { anchorChecks, type AnchorFigures } from '../lib/anchor-checks.js';
import { verdict } from '../lib/verdicts.js';

const PROCESSES = 2;
const CONCURRENCY = 50;
/** TIM_JITTER_MARGIN_MS's default: ours runs with it. */
const MARGIN_MS = 25;

const ANCHORS: Record<string, Record<string, string>> = {
  'bullmq-limiter-10-per-100ms': { ANCHOR: 'bullmq', LIMIT_MAX: '10', LIMIT_DURATION_MS: '100' },
  'bullmq-limiter-100-per-1000ms': { ANCHOR: 'bullmq', LIMIT_MAX: '100', LIMIT_DURATION_MS: '1000' },
  'bottleneck-mintime-10ms-clustered': { ANCHOR: 'bottleneck', MIN_TIME_MS: String(1000 / TIM_LIMIT) },
  // Our margin, on Bottleneck: what spacing every call (1000 + margin) / rate buys without a log.
  [`bottleneck-mintime-${(1000 + MARGIN_MS) / TIM_LIMIT}ms-clustered`]: { ANCHOR: 'bottleneck', MIN_TIME_MS: String((1000 + MARGIN_MS) / TIM_LIMIT) },
};

/**
 * The quick run keeps two (the full run, all four): BullMQ's limiter at TIM's own terms, and
 * Bottleneck with our margin, which shows what the margin alone buys.
 */
const QUICK_ANCHORS = ['bullmq-limiter-100-per-1000ms', `bottleneck-mintime-${(1000 + MARGIN_MS) / TIM_LIMIT}ms-clustered`];

/**
 * The tim-throughput load (same backlog, 2 processes at concurrency 50, same simulator) through
 * the limiters a user would otherwise reach for, in the same run as ours.
 */
export async function timLimiterAnchors(ctx: BenchContext): Promise<ScenarioReport> {
  const anchors: Record<string, AnchorFigures> = {};
  for (const [name, env] of Object.entries(ANCHORS)) {
    if (ctx.quick && !QUICK_ANCHORS.includes(name)) continue;
    anchors[name] = await runAnchor(ctx, name, env);
  }
  const earlier = ctx.shared.get('tim-throughput') as TimRun[] | undefined;
  const ours = earlier?.find((r) => r.workers === PROCESSES) ?? (await runTimBacklog(ctx, PROCESSES));
  const size = timBacklogSize(ctx.quick);
  const checks = anchorChecks(ours, anchors, TIM_LIMIT);
  const v = verdict(checks);
  return {
    name: 'tim-limiter-anchors',
    setup: `the tim-throughput backlog (${size.accounts} accounts × ${size.jobsPerAccount} jobs of ${size.targetsPerJob} targets) through ${PROCESSES} processes at concurrency ${CONCURRENCY}; each anchor is bench/anchors/anchor-worker.ts (same signing and HTTP code as ours, one POST per job, no account lock, no retry); Bottleneck is clustered on Redis (datastore ioredis, one id shared by both processes), once at minTime 1000 / limit and once with our margin, (1000 + ${MARGIN_MS}) / limit; simulator limit ${TIM_LIMIT}/s`,
    ours: {
      ratio: ours.ratio,
      maxInSlidingSecond: ours.maxInSlidingSecond,
      slidingSecondsOver: ours.slidingSecondsOver,
      refused: ours.refused,
      callsPerSec: ours.callsPerSec,
    },
    anchors,
    checks,
    goal: `ours (2 workers, full batches, same backlog): at most ${TIM_LIMIT} calls in any sliding second, no call refused, no overlap, no failed job, every target one result; every anchor drained the same backlog, so its figures cover it whole (their rates and worst seconds are reported, not judged)`,
    goalMet: v.goalMet,
    notes: [
      ...v.failed,
      'refused counts calls the simulator refused whole: 60007 = over the limit in a sliding second (TIM counts refused calls too); 30008 = a second call of one From_Account while one was in flight (the anchors hold no account lock)',
    ],
  };
}

async function runAnchor(ctx: BenchContext, name: string, anchorEnv: Record<string, string>): Promise<AnchorFigures> {
  return inScope(`anchor-${name.split('-')[0]}`, async (scope) => {
    const sim = await startTimSim(scope, { rate: TIM_LIMIT });
    const input = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => input.close());
    // Bottleneck names its keys b_<id>_…, outside our prefix; its id starts with the prefix.
    scope.onClose(() => deleteMatching(scope.redis, `b_${scope.prefix}-*`));
    const jobs = timBacklogJobs({ ...timBacklogSize(ctx.quick), tag: name.slice(0, 12) });
    await addInChunks(input, jobs);
    const env = anchorWorkerEnv(scope, sim.url, CONCURRENCY, anchorEnv);
    log(`${name}: ${jobs.length} jobs queued; starting ${PROCESSES} anchor processes`);
    const start = (i: number) => NodeChild.start({ label: `${name} ${i}`, entry: 'bench/anchors/anchor-worker.ts', env, ready: readyUrl });
    await Promise.all(Array.from({ length: PROCESSES }, (_, i) => scope.start(start(i))));
    const done = await waitForInputDone(scope.redis, scope.prefix, jobs.length, (jobs.length / 50) * 1000 + 60_000);
    const figures: AnchorFigures = {
      ...reportable(arrivalFigures(await sim.arrivals(), TIM_LIMIT)),
      jobs: jobs.length,
      failedJobs: done.failed,
      finished: done.finished,
    };
    log(`${name}:`, figures);
    return figures;
  });
}
