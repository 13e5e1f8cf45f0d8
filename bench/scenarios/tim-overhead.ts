import { Queue } from 'bullmq';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import { NodeChild, readyUrl } from '../lib/child.js';
import { cpuMeter, localRedisPid } from '../lib/cpu.js';
import { log, round } from '../lib/log.js';
import { passesPerJob, waitForInputDone } from '../lib/results.js';
import { inScope } from '../lib/scope.js';
import { BENCH_SDKAPPID, BENCH_TIM_KEY, startTimSim, timEnv } from '../lib/sims.js';
import { steadyRate } from '../lib/stats.js';
import { addInChunks, timBacklogJobs } from '../lib/tim-load.js';
import type { BenchContext, ScenarioReport } from '../lib/types.js';
import { spawnWorkers } from '../lib/workers.js';
import { atLeast, exactly, holds, verdict } from '../lib/verdicts.js';

const ACCOUNTS = 50;
const TARGETS = 100;
const CONCURRENCY = 50;
/** "Lifted": far above what one machine can send (the config allows at most 100,000). */
const LIFTED = 100_000;

/**
 * What the pipeline costs per call when the limit is not what holds it back: one worker process
 * (concurrency 50) against a raw axios loop (50 loops at once, one per account) in its own process,
 * with the same calls of 100 targets, against the same simulator.
 */
export async function timOverhead(ctx: BenchContext): Promise<ScenarioReport> {
  const callsPerAccount = ctx.quick ? 6 : 40;
  return inScope('overhead', async (scope) => {
    const sim = await startTimSim(scope, { rate: 1_000_000 });
    const rateOf = async (tag: string) => steadyRate((await sim.arrivals()).filter((a) => a.fromAccount.startsWith(`${tag}_`)).map((a) => a.at));

    const redisPid = await localRedisPid(scope.redis);
    const rawCpu = cpuMeter({ simulator: [sim.pid] });
    const raw = await NodeChild.start({
      label: 'raw axios loop',
      entry: 'bench/anchors/raw-axios-loop.ts',
      env: {
        TIM_BASE_URL: sim.url,
        TIM_SDKAPPID: String(BENCH_SDKAPPID),
        TIM_SECRET_KEY: BENCH_TIM_KEY,
        ACCOUNTS: String(ACCOUNTS),
        CALLS_PER_ACCOUNT: String(callsPerAccount),
        TARGETS_PER_CALL: String(TARGETS),
        TAG: 'raw',
      },
      ready: (line) => (readyUrl(line) === '' ? (JSON.parse(line) as { calls: number; cpuMs: number }) : undefined),
      timeoutMs: 300_000,
    });
    const rawCpuMsPerCall = { loop: round(raw.ready.cpuMs / raw.ready.calls, 2), ...rawCpu.stop().per(raw.ready.calls) };
    const rawRate = await rateOf('raw');
    log(`tim-overhead raw loop: ${raw.ready.calls} calls, ${round(rawRate, 1)} calls/s`);

    const input = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => input.close());
    const jobs = timBacklogJobs({ accounts: ACCOUNTS, jobsPerAccount: callsPerAccount, targetsPerJob: TARGETS, tag: 'pipe' });
    await addInChunks(input, jobs, 500);
    const [worker] = await spawnWorkers(scope, 1, { ...timEnv(sim.url, LIFTED), WORKER_CONCURRENCY: String(CONCURRENCY) });
    const cpu = cpuMeter({ worker: [worker!.pid], simulator: [sim.pid], redis: [redisPid] });
    const done = await waitForInputDone(scope.redis, scope.prefix, jobs.length, ctx.quick ? 45_000 : 120_000);
    const cpuUsed = cpu.stop();
    const pipeArrivals = (await sim.arrivals()).filter((a) => a.fromAccount.startsWith('pipe_')).length;
    const cpuMsPerCall = cpuUsed.per(pipeArrivals);
    const pipeRate = await rateOf('pipe');
    log(`tim-overhead pipeline: ${jobs.length} jobs, ${round(pipeRate, 1)} calls/s`);
    const ratio = pipeRate / rawRate;
    const subject = `1 worker, ${TARGETS}-target calls`;
    const checks = [
      atLeast(
        {
          subject,
          figure: 'pipeline calls/s ÷ raw axios calls/s',
          detail: ` (${round(pipeRate, 1)} calls/s)`,
          beside: `anchor: raw axios loop ${round(rawRate, 1)} calls/s (same run)`,
        },
        round(ratio, 3),
        0.5,
      ),
      exactly({ subject, figure: 'failed jobs' }, done.failed, 0),
      holds(
        {
          subject,
          figure: 'backlog drained',
          measured: done.finished ? `${jobs.length} of ${jobs.length} jobs` : `${done.completed + done.failed} of ${jobs.length} jobs`,
        },
        done.finished,
        'drained',
      ),
      exactly({ subject, figure: 'raw loop calls answered OK' }, raw.ready.calls, ACCOUNTS * callsPerAccount),
    ];
    const v = verdict(checks);
    return {
      name: 'tim-overhead',
      setup: `${ACCOUNTS} From_Accounts × ${callsPerAccount} calls of ${TARGETS} targets; pipeline: 1 worker process, WORKER_CONCURRENCY ${CONCURRENCY}, TIM_RATE_PER_SEC ${LIFTED}; anchor: ${CONCURRENCY} concurrent axios loops in one process (same signing and keep-alive client); simulator limit lifted (1,000,000/s), latency 2 ms; rates from first to last arrival`,
      pipelineCallsPerSec: round(pipeRate, 1),
      pipelineTargetsPerSec: Math.round(pipeRate * TARGETS),
      failedJobs: done.failed,
      finished: done.finished,
      cpuMsPerCall,
      passesPerJob: round(await passesPerJob(scope.redis, scope.prefix), 2),
      ratio: round(ratio, 3),
      anchors: { rawAxiosCallsPerSec: round(rawRate, 1), rawAxiosCalls: raw.ready.calls, rawCpuMsPerCall },
      checks,
      goal: "pipeline calls/s ÷ raw axios loop calls/s ≥ 0.5; no failed job; backlog drained; the anchor's calls all answered",
      goalMet: v.goalMet,
      ...(v.failed.length && { notes: v.failed }),
    };
  });
}
