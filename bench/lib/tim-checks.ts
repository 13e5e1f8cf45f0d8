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
  const workers = r.cpuMsPerCall.workers;
  const redis = r.cpuMsPerCall.redis;
  const sum = workers === undefined || redis === undefined ? null : Math.round((workers + redis) * 100) / 100;
  const row = {
    subject: runSubject(r),
    figure: 'CPU ms per call, workers + Redis',
    detail: sum === null ? '' : ` (${workers} + ${redis})`,
    ...(reference !== undefined && { beside: reference }),
  };
  return ceilingMs === null ? reported(row, sum) : atMost(row, sum, ceilingMs, `≤ ${ceilingMs} ms`);
}
