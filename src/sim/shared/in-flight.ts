/**
 * Calls in flight by key (an account). A simulator uses it to notice two calls of one account
 * being worked on at once, which the real provider punishes.
 */
export class InFlight {
  private readonly counts = new Map<string, number>();
  private total = 0;

  /** Marks a call started; returns how many calls of this key were already in flight. */
  enter(key: string): number {
    const before = this.counts.get(key) ?? 0;
    this.counts.set(key, before + 1);
    this.total++;
    return before;
  }

  /** Marks a call finished. Call once per enter. */
  leave(key: string): void {
    const before = this.counts.get(key) ?? 0;
    if (before <= 0) return;
    this.total--;
    if (before === 1) this.counts.delete(key);
    else this.counts.set(key, before - 1);
  }

  get size(): number {
    return this.total;
  }
}
