import type { CollectedResult } from './results.js';

/** Lost and duplicated results, counted from friend-add-results against what was accepted. */
export interface DeliveryCounts {
  targets: number;
  results: number;
  lost: number;
  duplicated: number;
  /** Results for a requestId/target nobody submitted. */
  unexpected: number;
  /** Results by outcome. */
  outcomes: Record<string, number>;
}

/** The key a result is counted under: exactly one result per key is the contract. */
export function resultKey(requestId: string, target: string): string {
  return `${requestId}/${target}`;
}

export function countDelivery(expected: ReadonlySet<string>, results: readonly CollectedResult[]): DeliveryCounts {
  const seen = new Map<string, number>();
  const outcomes: Record<string, number> = {};
  let unexpected = 0;
  for (const r of results) {
    const key = resultKey(r.requestId, r.target);
    seen.set(key, (seen.get(key) ?? 0) + 1);
    outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    if (!expected.has(key)) unexpected += 1;
  }
  let lost = 0;
  for (const key of expected) if (!seen.has(key)) lost += 1;
  let duplicated = 0;
  for (const n of seen.values()) duplicated += n - 1;
  return { targets: expected.size, results: results.length, lost, duplicated, unexpected, outcomes };
}

/** A few of the keys that were lost, to name them in a failure message. */
export function lostKeys(expected: ReadonlySet<string>, results: readonly CollectedResult[], max = 10): string[] {
  const seen = new Set(results.map((r) => resultKey(r.requestId, r.target)));
  return [...expected].filter((k) => !seen.has(k)).slice(0, max);
}

/**
 * The limit as the provider saw arrivals: the most arrivals in any sliding window, and how many
 * windows that start at an arrival hold more than `limit` (0 is the promise).
 */
export function slidingCounts(times: readonly number[], limit: number, windowMs = 1000) {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let over = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    if (end < start) end = start;
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++;
    const inWindow = end - start;
    most = Math.max(most, inWindow);
    if (inWindow > limit) over += 1;
  }
  return { calls: sorted.length, maxInSlidingSecond: most, windowsOverLimit: over };
}

/** The least gap between consecutive arrivals of each key (a GeWe appId). */
export function leastGapsByKey<T>(items: readonly T[], keyOf: (t: T) => string, timeOf: (t: T) => number): Map<string, number> {
  const byKey = new Map<string, number[]>();
  for (const item of items) {
    const times = byKey.get(keyOf(item)) ?? [];
    times.push(timeOf(item));
    byKey.set(keyOf(item), times);
  }
  const gaps = new Map<string, number>();
  for (const [key, times] of byKey) {
    times.sort((a, b) => a - b);
    let least = Infinity;
    for (let i = 1; i < times.length; i++) least = Math.min(least, times[i]! - times[i - 1]!);
    gaps.set(key, least);
  }
  return gaps;
}
