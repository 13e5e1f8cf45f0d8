import type { Arrival } from '../../src/sim/tim/index.js';
import { round } from './log.js';
import { countBy, maxInSlidingWindow, quantile, steadyRate, windowsOver } from './stats.js';

/** What the provider saw of one run, measured from its own arrival log. */
export interface ArrivalFigures {
  calls: number;
  /** Calls refused whole, by TIM code (60007: over the limit; 30008: two calls of one account at once). */
  refused: Record<string, number>;
  /** Arrivals per second, first to last arrival (start-up excluded). */
  callsPerSec: number;
  /** callsPerSec ÷ limit. */
  ratio: number;
  /**
   * The same from one second after the first arrival: a sliding-window gate may fill its first
   * window faster than 1000/rate, which lifts a short run's `ratio` (even above 1).
   */
  ratioAfterFirstSecond: number;
  /** The most arrivals in any sliding 1000 ms. */
  maxInSlidingSecond: number;
  /** How many sliding seconds (one starting at each arrival) held more than the limit. */
  slidingSecondsOver: number;
  /** The least gap between two arrivals, and the 1st percentile: the limiter's spacing at arrival. */
  minGapMs: number;
  p01GapMs: number;
  firstArrivalAt: number;
  lastArrivalAt: number;
}

export function arrivalFigures(arrivals: readonly Arrival[], limit: number): ArrivalFigures {
  const times = arrivals.map((a) => a.at).sort((a, b) => a - b);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const rate = steadyRate(times);
  return {
    calls: arrivals.length,
    refused: countBy(arrivals, (a) => a.rejected),
    callsPerSec: round(rate, 2),
    ratio: round(rate / limit, 4),
    ratioAfterFirstSecond: round(steadyRate(times.filter((t) => t >= times[0]! + 1000)) / limit, 4),
    maxInSlidingSecond: maxInSlidingWindow(times),
    slidingSecondsOver: windowsOver(times, limit),
    minGapMs: round(gaps.length ? Math.min(...gaps) : NaN, 2),
    p01GapMs: round(quantile(gaps, 0.01), 2),
    firstArrivalAt: times[0] ?? NaN,
    lastArrivalAt: times[times.length - 1] ?? NaN,
  };
}

/** The figures without the raw timestamps, for the report. */
export function reportable(f: ArrivalFigures): Omit<ArrivalFigures, 'firstArrivalAt' | 'lastArrivalAt'> {
  const { firstArrivalAt: _first, lastArrivalAt: _last, ...rest } = f;
  return rest;
}
