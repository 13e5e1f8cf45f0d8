import { Queue } from 'bullmq';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import { arrivalFigures, reportable, type ArrivalFigures } from '../lib/tim-arrivals.js';
import { cpuMeter, localRedisPid } from '../lib/cpu.js';
import { dump } from '../lib/dump.js';
import { log, round } from '../lib/log.js';
import { passesPerJob, readResults, waitForInputDone } from '../lib/results.js';
import { inScope } from '../lib/scope.js';
import { startTimSim, timEnv } from '../lib/sims.js';
import { addInChunks, timBacklogJobs } from '../lib/tim-load.js';
import { TIM_LIMIT, timBacklogSize, type BenchContext, type ScenarioReport } from '../lib/types.js';
import { spawnWorkers } from '../lib/workers.js';

/** A run that cannot drain the backlog stops here and reports what it did (the full bench stays under 15 min). */
const RUN_DEADLINE_MS = (ctx: BenchContext) => (ctx.quick ? 45_000 : 120_000);

export interface TimRun extends Omit<ArrivalFigures, 'firstArrivalAt' | 'lastArrivalAt'> {
  workers: number;
  targetsPerCall: number;
  jobs: number;
  /** False when the backlog was not drained within the run's deadline: the figures cover what ran. */
  finished: boolean;
  /** Target results on friend-add-results ÷ (last result written − first arrival). */
  targetsPerSec: number;
  /** targetsPerSec ÷ (limit × 1000). */
  targetsRatio: number;
  results: number;
  expectedResults: number;
  failedJobs: number;
  overlapViolations: number;
  /** Times a job was taken by a worker, on average (more than 1: it waited for a busy account). */
  passesPerJob: number;
  /** CPU ms per call in the worker processes, the simulator and Redis (when local). */
  cpuMsPerCall: Record<string, number>;
}

/**
 * A backlog over 50 From_Accounts, full calls of 1000 targets (one call per job), drained by 1, 2
 * and 4 real worker processes at the default limit, against the TIM simulator in its own process.
 */
export async function timThroughput(ctx: BenchContext): Promise<ScenarioReport> {
  const runs: TimRun[] = [];
  for (const workers of [1, 2, 4]) runs.push(await runTimBacklog(ctx, workers));
  ctx.shared.set('tim-throughput', runs);
  // Not part of the goal: the same backlog in one-target calls, where the pipeline's CPU cost per
  // call is small, to show what the limiter itself does when it, not the CPU, is what holds back.
  const smallCalls = await runTimBacklog(ctx, 2, 1);
  const two = runs.find((r) => r.workers === 2)!;
  const notes: string[] = [];
  for (const r of runs) {
    if (r.ratio < 0.97) notes.push(`${r.workers} worker(s): calls/s ÷ limit ${r.ratio} < 0.97`);
    if (r.maxInSlidingSecond > TIM_LIMIT) notes.push(`${r.workers} worker(s): ${r.maxInSlidingSecond} calls in one sliding second > ${TIM_LIMIT}`);
    if (!r.finished) notes.push(`${r.workers} worker(s): the backlog was not drained within ${RUN_DEADLINE_MS(ctx) / 1000} s (${r.calls} of ${r.jobs} calls); the rate is over the part that ran`);
    else if (r.results !== r.expectedResults) notes.push(`${r.workers} worker(s): ${r.results} results for ${r.expectedResults} targets`);
  }
  if (two.targetsRatio < 0.9) notes.push(`2 workers: targets/s ÷ (limit × 1000) ${two.targetsRatio} < 0.9`);
  const size = timBacklogSize(ctx.quick);
  return {
    name: 'tim-throughput',
    setup: `${size.accounts} From_Accounts × ${size.jobsPerAccount} jobs of ${size.targetsPerJob} targets (one call each), limit ${TIM_LIMIT}/s, WORKER_CONCURRENCY 50, backlog enqueued before the workers start; rate measured from the first to the last arrival at the simulator`,
    limit: TIM_LIMIT,
    runs,
    diagnosticOneTargetCalls: smallCalls,
    anchors: { boundAt30msJitter: round(1000 / 1030, 4), notesQuietMachineGcra: 0.97 },
    goal: 'calls/s ÷ limit ≥ 0.97 and at most 100 calls in any sliding second, with 1, 2 and 4 workers; targets/s ÷ (limit × 1000) ≥ 0.9 with 2 workers, every target a result',
    goalMet: notes.length === 0,
    ...(notes.length && { notes }),
  };
}

export async function runTimBacklog(ctx: BenchContext, workers: number, targetsPerJob = 1000): Promise<TimRun> {
  return inScope(`tim-w${workers}-t${targetsPerJob}`, async (scope) => {
    const sim = await startTimSim(scope, { rate: TIM_LIMIT });
    const input = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => input.close());
    const jobs = timBacklogJobs({ ...timBacklogSize(ctx.quick), targetsPerJob, tag: `w${workers}t${targetsPerJob}` });
    await addInChunks(input, jobs);
    log(`tim-throughput: ${jobs.length} jobs queued; starting ${workers} worker(s)`);
    const procs = await spawnWorkers(scope, workers, timEnv(sim.url, TIM_LIMIT));
    const cpu = cpuMeter({ workers: procs.map((p) => p.pid), simulator: [sim.pid], redis: [await localRedisPid(scope.redis)] });
    const done = await waitForInputDone(scope.redis, scope.prefix, jobs.length, RUN_DEADLINE_MS(ctx));
    const cpuUsed = cpu.stop();
    const arrivals = await sim.arrivals();
    dump(`tim-throughput-w${workers}-t${targetsPerJob}`, arrivals);
    const stats = await sim.stats();
    const f = arrivalFigures(arrivals, TIM_LIMIT);
    const seen = await readResults(scope.redis, scope.prefix);
    const targetsPerSec = seen.results / ((seen.lastWrittenAt - f.firstArrivalAt) / 1000);
    const run: TimRun = {
      workers,
      targetsPerCall: targetsPerJob,
      jobs: jobs.length,
      finished: done.finished,
      ...reportable(f),
      targetsPerSec: Math.round(targetsPerSec),
      targetsRatio: round(targetsPerSec / (TIM_LIMIT * targetsPerJob), 4),
      results: seen.results,
      expectedResults: jobs.length * targetsPerJob,
      failedJobs: done.failed,
      overlapViolations: stats.violations.overlap,
      passesPerJob: round(await passesPerJob(scope.redis, scope.prefix), 2),
      cpuMsPerCall: cpuUsed.per(arrivals.length),
    };
    log(`tim-throughput ${workers} worker(s), ${targetsPerJob}-target calls:`, run);
    return run;
  });
}
