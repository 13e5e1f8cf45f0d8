/**
 * setTimeout with bookkeeping, so a simulator can cancel every pending answer when it closes
 * instead of waiting for them.
 */
export class TimerSet {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** Runs `fn` after `ms`; at once (synchronously) when `ms` is not positive. */
  later(ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      fn();
    }, ms);
    this.pending.add(timer);
  }

  clear(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
