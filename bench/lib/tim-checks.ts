import type { Check } from './verdicts.js';
import { atLeast, atMost, holds, reported } from './verdicts.js';

/** What a TIM backlog run must show whatever its size: the guarantees the docs make. */
export interface GuaranteeFigures {
  workers: number;
  targetsPerCall: number;
  jobs: number;
  finished: boolean;
  calls: number;
  refused: Record<string, number>;
  maxInSlidingSecond: number;
  results: number;
  expectedResults: number;
  failedJobs: number;
  overlapViolations: number;
}

export const runSubject = (r: { workers: number; targetsPerCall: number }): string =>
  `${r.targetsPerCall === 1 ? 'calls-bound (1-target calls)' : r.targetsPerCall === 1000 ? 'full batches' : `${r.targetsPerCall}-target calls`}, ${r.workers} worker${r.workers > 1 ? 's' : ''}`;

const refusedText = (r: Record<string, number>) => {
  const parts = Object.entries(r).map(([code, n]) => `${n}× ${code}`);
  return parts.length ? ` (refused ${parts.join(', ')})` : '';
};

/**
 * The limit and the guarantees of one run: at most `limit` calls in any sliding second; no call
 * refused, no two calls of one From_Account in flight, no failed job, the backlog drained, and
 * every target exactly one result.
 */
export function guaranteeChecks(r: GuaranteeFigures, limit: number, beside?: { maxInSlidingSecond?: string }): Check[] {
  const subject = runSubject(r);
  const refusedCalls = Object.values(r.refused).reduce((s, n) => s + n, 0);
  const ok = r.finished && refusedCalls === 0 && r.overlapViolations === 0 && r.failedJobs === 0 && r.results === r.expectedResults;
  const measured = [
    `refused ${refusedCalls}`,
    `overlaps ${r.overlapViolations}`,
    `failed jobs ${r.failedJobs}`,
    `results ${r.results.toLocaleString('en-US')} of ${r.expectedResults.toLocaleString('en-US')}`,
    r.finished ? 'drained' : `not drained (${r.calls} calls of ${r.jobs})`,
  ].join('; ');
  return [
    atMost(
      {
        subject,
        figure: 'most calls in a sliding second',
        detail: refusedText(r.refused),
        ...(beside?.maxInSlidingSecond !== undefined && { beside: beside.maxInSlidingSecond }),
      },
      r.maxInSlidingSecond,
      limit,
    ),
    holds({ subject, figure: 'refused calls; overlaps of one From_Account; failed jobs; results', measured }, ok, '0; 0; 0; every target one; drained'),
  ];
}

/** calls/s ÷ limit, held to `min` or only reported. */
export function rateCheck(r: { workers: number; targetsPerCall: number; ratio: number; callsPerSec: number }, min: number | null, beside?: string): Check {
  const row = { subject: runSubject(r), figure: 'calls/s ÷ limit', detail: ` (${r.callsPerSec} calls/s)`, ...(beside !== undefined && { beside }) };
  return min === null ? reported(row, r.ratio) : atLeast(row, r.ratio, min);
}

/** targets/s ÷ (limit × targets per call). */
export function targetsCheck(r: { workers: number; targetsPerCall: number; targetsRatio: number; targetsPerSec: number }, min: number | null): Check {
  const row = { subject: runSubject(r), figure: 'targets/s ÷ (limit × 1000)', detail: ` (${r.targetsPerSec.toLocaleString('en-US')} targets/s)` };
  return min === null ? reported(row, r.targetsRatio) : atLeast(row, r.targetsRatio, min);
}

/**
 * CPU per call of the workers and Redis together, against a ceiling taken from an earlier run
 * (a reference, not an anchor: another run, maybe another machine).
 */
export function cpuCheck(
  r: { workers: number; targetsPerCall: number; cpuMsPerCall: Record<string, number> },
  ceilingMs: number | null,
  reference?: string,
): Check {
  const sum = workersPlusRedis(r.cpuMsPerCall) ?? null;
  const row = {
    subject: runSubject(r),
    figure: 'CPU ms per call, workers + Redis',
    detail: sum === null ? '' : ` (${r.cpuMsPerCall.workers} + ${r.cpuMsPerCall.redis})`,
    ...(reference !== undefined && { beside: reference }),
  };
  return ceilingMs === null ? reported(row, sum) : atMost(row, sum, ceilingMs, `≤ ${ceilingMs} ms`);
}

/** The reference commit's run in the same bench run (an anchor), or why it did not run. */
export type ReferenceRun =
  | { commit: string; workers: number; cpuMsPerCall: Record<string, number>; passesPerJob: number; finished: boolean; calls: number }
  | { commit: string; why: string };

/**
 * Our CPU per call, workers + Redis, as a share of the reference commit's on the same backlog in
 * the same run: a ratio from one run holds on any machine, where a figure from another run does
 * not (machines here differ 3× in speed). Not measured, hence not met, when the reference could
 * not run or did not drain its backlog.
 */
export function cpuRatioCheck(
  r: { workers: number; targetsPerCall: number; cpuMsPerCall: Record<string, number> },
  reference: ReferenceRun,
  max: number,
): Check {
  const ours = workersPlusRedis(r.cpuMsPerCall);
  const theirs = 'why' in reference ? undefined : workersPlusRedis(reference.cpuMsPerCall);
  const usable = !('why' in reference) && reference.finished && ours !== undefined && theirs !== undefined && theirs > 0;
  const beside =
    'why' in reference
      ? `anchor: ${reference.commit}'s workers did not run: ${reference.why}`
      : `anchor: ${reference.commit}'s workers on the same backlog, same run: ${reference.cpuMsPerCall.workers} + ${reference.cpuMsPerCall.redis} = ${theirs} ms a call, ${reference.passesPerJob} passes per job${reference.finished ? '' : '; it did not drain the backlog in time, so the ratio is not judged'}`;
  const ratio = usable ? Math.round((ours / theirs) * 1000) / 1000 : null;
  const row = { subject: runSubject(r), figure: `CPU per call, workers + Redis, ÷ ${reference.commit}'s`, detail: ` (${ours} ms ÷ ${theirs} ms)`, beside };
  return atMost(row, ratio, max);
}

/** Workers + Redis CPU ms per call, rounded to 0.01; undefined when either was not measured. */
function workersPlusRedis(cpu: Record<string, number>): number | undefined {
  const { workers, redis } = cpu;
  return workers === undefined || redis === undefined ? undefined : Math.round((workers + redis) * 100) / 100;
}
