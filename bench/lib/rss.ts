import { round } from './log.js';
import { median, slope } from './stats.js';
import type { RssSample } from './workers.js';

export interface RssFigures {
  samples: number;
  /** From the first sample to the last while work was fed. */
  spanMs: number;
  peakMB: number;
  firstHalfMedianMB: number;
  secondHalfMedianMB: number;
  /** The judged stretch, on the samples' clock: the second half of the time work was fed. */
  judgedFromMs: number;
  judgedToMs: number;
  /** Least-squares trend over the judged stretch, in MB per minute. */
  secondHalfSlopeMBPerMin: number;
  /** That trend × the stretch's length: how much it grew while it should be flat. */
  secondHalfGrowthMB: number;
  /** Growth allowed over the judged stretch: 5 % of its median, at least 5 MB (sampling noise). */
  flatToleranceMB: number;
  /** Whether the run was long and dense enough to tell a trend from the warm-up. */
  judged: boolean;
  /** Judged and within the tolerance. A run too short to judge is not flat: it is unproven. */
  flat: boolean;
  /** Why it was not judged, when it was not. */
  notJudgedBecause?: string;
}

/** The sampling the soak uses: at least every 250 ms, so even a short run has a curve. */
export const SAMPLE_EVERY_MS = 250;
/** Flatness is judged over the second half of at least 10 s of feeding (5 s judged)... */
export const MIN_SPAN_MS = 10_000;
/** ...with samples at most 250 ms apart on average (40 over 10 s). */
export const MIN_SAMPLES = 40;

/**
 * RSS over a run: its peak, and its trend over the second
 * half of the time work was fed (`fedUntilMs`, on the samples' clock; the whole run when not given).
 * The drain after the feed is a different load (the backlog empties, nothing new arrives), so it
 * counts for the peak but not for the trend; the first half of the feed is the heap's warm-up.
 * The soak judges the peak; the trend it reports only (it judges the live heap: live-heap.ts).
 */
export function rssFigures(samples: readonly RssSample[], fedUntilMs = Infinity): RssFigures {
  const fed = samples.filter((s) => s.t <= fedUntilMs);
  const mid = fed.length >> 1;
  const first = fed.slice(0, mid);
  const second = fed.slice(mid);
  const perMs = slope(second.map((s) => ({ x: s.t, y: s.mb })));
  const secondSpanMs = second.length > 1 ? second[second.length - 1]!.t - second[0]!.t : 0;
  const spanMs = fed.length > 1 ? fed[fed.length - 1]!.t - fed[0]!.t : 0;
  const secondMedian = median(second.map((s) => s.mb));
  const growth = perMs * secondSpanMs;
  const tolerance = Math.max(5, 0.05 * secondMedian);
  const notJudgedBecause =
    fed.length < MIN_SAMPLES
      ? `${fed.length} samples while fed < ${MIN_SAMPLES}`
      : spanMs < MIN_SPAN_MS
        ? `${round(spanMs / 1000, 1)} s of samples while fed < ${MIN_SPAN_MS / 1000} s`
        : undefined;
  const judged = notJudgedBecause === undefined;
  return {
    samples: samples.length,
    spanMs: Math.round(spanMs),
    judgedFromMs: Math.round(second[0]?.t ?? 0),
    judgedToMs: Math.round(second[second.length - 1]?.t ?? 0),
    peakMB: samples.length ? round(Math.max(...samples.map((s) => s.mb)), 1) : NaN,
    firstHalfMedianMB: round(median(first.map((s) => s.mb)), 1),
    secondHalfMedianMB: round(secondMedian, 1),
    secondHalfSlopeMBPerMin: round(perMs * 60_000, 2),
    secondHalfGrowthMB: round(growth, 1),
    flatToleranceMB: round(tolerance, 1),
    judged,
    flat: judged && growth <= tolerance,
    ...(notJudgedBecause !== undefined && { notJudgedBecause }),
  };
}

/** Every `every`-th sample, for the chart: the curve without thousands of points. */
export function thin(samples: readonly RssSample[], most = 120): { t: number; mb: number }[] {
  const every = Math.max(1, Math.ceil(samples.length / most));
  return samples.filter((_, i) => i % every === 0).map((s) => ({ t: Math.round(s.t / 100) / 10, mb: round(s.mb, 1) }));
}
