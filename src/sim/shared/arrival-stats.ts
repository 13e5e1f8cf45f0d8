/**
 * Pure measures over arrival times (ms), used by tests and the benchmark to check a limit as the
 * provider saw it: "no sliding second held more than R calls", "no two calls closer than S ms".
 */

/**
 * The most arrivals in any half-open window [t, t + windowMs). Arrivals exactly windowMs apart
 * fall in different windows. Two pointers over the sorted times: O(n) after the sort.
 */
export function maxInSlidingWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = isSorted(times) ? times : [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    const last = sorted[end]!;
    // Drop arrivals that left the window ending at `last` (a window may hold [first, first + windowMs)).
    while (sorted[start]! <= last - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** The least gap between two consecutive arrivals; Infinity when there are fewer than two. */
export function minSpacing(times: readonly number[]): number {
  const sorted = isSorted(times) ? times : [...times].sort((a, b) => a - b);
  let least = Infinity;
  for (let i = 1; i < sorted.length; i++) least = Math.min(least, sorted[i]! - sorted[i - 1]!);
  return least;
}

function isSorted(times: readonly number[]): boolean {
  for (let i = 1; i < times.length; i++) if (times[i]! < times[i - 1]!) return false;
  return true;
}
