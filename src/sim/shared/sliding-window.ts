/**
 * Counts hits in the sliding window (at - windowMs, at], at the moment of each hit. Hits come in
 * time order or nearly (a gateway's stamps may reach the simulator a little out of order): a late
 * one is put in its place. Amortised O(1) per hit.
 */
export class SlidingWindowCounter {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  /** Records a hit at `at` and returns how many hits, this one included, the window now holds. */
  hit(at: number): number {
    this.evict(at);
    const times = this.times;
    let i = times.length;
    while (i > this.head && times[i - 1]! > at) i--;
    times.splice(i, 0, at);
    // Everything from head on is inside the window's start; up to i, not after `at`.
    return i - this.head + 1;
  }

  /** Hits in the window ending at `at`, without recording one. */
  count(at: number): number {
    this.evict(at);
    return this.times.length - this.head;
  }

  private evict(at: number): void {
    const times = this.times;
    while (this.head < times.length && times[this.head]! <= at - this.windowMs) this.head++;
    // Compact now and then, so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > times.length) {
      this.times = times.slice(this.head);
      this.head = 0;
    }
  }
}

/** One SlidingWindowCounter per key (an SDKAppID, an account). */
export class KeyedSlidingWindows {
  private readonly counters = new Map<string, SlidingWindowCounter>();

  constructor(private readonly windowMs: number) {}

  hit(key: string, at: number): number {
    let counter = this.counters.get(key);
    if (!counter) {
      counter = new SlidingWindowCounter(this.windowMs);
      this.counters.set(key, counter);
    }
    return counter.hit(at);
  }

  clear(): void {
    this.counters.clear();
  }
}
