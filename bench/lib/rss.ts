import { round } from './log.js';
import { median, slope } from './stats.js';
import type { RssSample } from './workers.js';

export interface RssFigures {
  samples: number;
  peakMB: number;
  firstHalfMedianMB: number;
  secondHalfMedianMB: number;
  /** Least-squares trend over the second half, in MB per minute. */
  secondHalfSlopeMBPerMin: number;
  /** That trend × the second half's length: how much it grew while it should be flat. */
  secondHalfGrowthMB: number;
  /** Growth allowed in the second half: 5 % of its median, at least 5 MB (sampling noise). */
  flatToleranceMB: number;
  /** null when the run was too short (fewer than MIN_SAMPLES) to tell a trend from the warm-up. */
  flat: boolean | null;
}

/** Below this many samples (seconds) the second half is still warm-up: flatness is not judged. */
export const MIN_SAMPLES = 20;

/** RSS over a run: under a ceiling, and flat once warm (no trend in the second half). */
export function rssFigures(samples: readonly RssSample[]): RssFigures {
  const mid = samples.length >> 1;
  const first = samples.slice(0, mid);
  const second = samples.slice(mid);
  const perMs = slope(second.map((s) => ({ x: s.t, y: s.mb })));
  const spanMs = second.length > 1 ? second[second.length - 1]!.t - second[0]!.t : 0;
  const secondMedian = median(second.map((s) => s.mb));
  const growth = perMs * spanMs;
  const tolerance = Math.max(5, 0.05 * secondMedian);
  return {
    samples: samples.length,
    peakMB: round(Math.max(...samples.map((s) => s.mb)), 1),
    firstHalfMedianMB: round(median(first.map((s) => s.mb)), 1),
    secondHalfMedianMB: round(secondMedian, 1),
    secondHalfSlopeMBPerMin: round(perMs * 60_000, 2),
    secondHalfGrowthMB: round(growth, 1),
    flatToleranceMB: round(tolerance, 1),
    flat: samples.length < MIN_SAMPLES ? null : growth <= tolerance,
  };
}

/** Every `every`-th sample, for the chart: the curve without thousands of points. */
export function thin(samples: readonly RssSample[], most = 120): { t: number; mb: number }[] {
  const every = Math.max(1, Math.ceil(samples.length / most));
  return samples.filter((_, i) => i % every === 0).map((s) => ({ t: Math.round(s.t / 100) / 10, mb: round(s.mb, 1) }));
}
