import { round } from './log.js';
import { median } from './stats.js';

/**
 * V8's own trace of its full collections (`node --trace-gc --trace-gc-ignore-scavenger`): after
 * each mark-compact, what is left of the heap is what was live, plus a little floating garbage.
 * That is the figure a leak makes grow. RSS is not: between two mark-compacts it swings with the
 * garbage V8 lets pile up (the same code's soak grew 4 MB in one run and 26 in the next).
 */
export const GC_TRACE_ARGS = ['--trace-gc', '--trace-gc-ignore-scavenger'];

/** One full collection as the bench saw it: when (the bench's clock) and the heap it left, in MB. */
export interface LiveHeapPoint {
  t: number;
  mb: number;
}

// e.g. `[17669:0x2fb64000]      250 ms: Mark-Compact 74.7 (93.3) -> 63.6 (97.5) MB, pooled: ...`
// (Node 20 and 22 alike; V8 writes `Mark-Compact (reduce)` for a collection that shrinks the heap).
const MARK_COMPACT = /: Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/;

/** The heap a mark-compact left, in MB, from one line of the trace; undefined for any other line. */
export function heapAfterMarkCompact(line: string): number | undefined {
  const m = MARK_COMPACT.exec(line);
  return m ? Number(m[1]) : undefined;
}

export interface LiveHeapFigures {
  /** Mark-compacts seen in the whole run, and in the judged stretch. */
  collections: number;
  judgedCollections: number;
  judgedFromMs: number;
  judgedToMs: number;
  /** The median heap left by the judged stretch's collections. */
  medianMB: number;
  /**
   * How far the floor rose: the least heap left in the stretch's last third less the least in its
   * first. What a leak leaves is in every collection's figure; floating garbage only ever adds to
   * it, and more in some stretches than others, so the floor, not a trend through every point,
   * is what a leak moves.
   */
  growthMB: number;
  /**
   * Growth allowed: 10 % of the median, at least 2 MB. The heap's own warm-up (code, caches
   * filling to their bounds) adds 1.5-2 MB in the full soak's judged stretch; a 3-minute soak
   * showed it level off after about 100 s (docs/benchmarks.md, the soak's RSS).
   */
  toleranceMB: number;
  judged: boolean;
  /** Judged and within the tolerance; a stretch with too few collections is not flat but unproven. */
  flat: boolean;
  notJudgedBecause?: string;
}

/** A stretch needs this many full collections: two at least in each third. */
export const MIN_COLLECTIONS = 6;

/**
 * Whether the live heap held still over the second half of the time work was fed (`fedUntilMs`,
 * on the points' clock), the stretch rss.ts takes the RSS's trend over: the first half is the
 * warm-up, the drain after the feed a different load.
 */
export function liveHeapFigures(points: readonly LiveHeapPoint[], fedUntilMs: number): LiveHeapFigures {
  const from = fedUntilMs / 2;
  const judgedPoints = points.filter((p) => p.t >= from && p.t <= fedUntilMs);
  const medianMB = median(judgedPoints.map((p) => p.mb));
  const third = Math.floor(judgedPoints.length / 3);
  const floor = (stretch: readonly LiveHeapPoint[]) => Math.min(...stretch.map((p) => p.mb));
  const growthMB = third > 0 ? floor(judgedPoints.slice(-third)) - floor(judgedPoints.slice(0, third)) : NaN;
  const toleranceMB = Math.max(2, 0.1 * (medianMB || 0));
  const notJudgedBecause =
    judgedPoints.length < MIN_COLLECTIONS ? `${judgedPoints.length} full collections in the judged stretch < ${MIN_COLLECTIONS}` : undefined;
  const judged = notJudgedBecause === undefined;
  return {
    collections: points.length,
    judgedCollections: judgedPoints.length,
    judgedFromMs: Math.round(from),
    judgedToMs: Math.round(fedUntilMs),
    medianMB: round(medianMB, 1),
    growthMB: round(growthMB, 1),
    toleranceMB: round(toleranceMB, 1),
    judged,
    flat: judged && growthMB <= toleranceMB,
    ...(notJudgedBecause !== undefined && { notJudgedBecause }),
  };
}
