/** How long an account found busy is looked at before a job's work (AccountLocks.peekIfContended). */
export const CONTENDED_FOR_MS = 10_000;

/** At most this many accounts are remembered; the longest unseen is forgotten first. */
const MOST_REMEMBERED = 10_000;

/**
 * The accounts this process found busy lately: a hint, never a promise. A job looks at its
 * account before any work only when the account is here (AccountLocks.peekIfContended); any other
 * job's take finds a busy account just as well, one parse and state read later, and puts it here.
 *
 * Why: the look is a round trip of its own, and for a job whose account is free (nearly every
 * job when accounts are spread over the workers) it only said so: one of the six commands a
 * 100-target job sent to Redis in the tim-overhead scenario (docs/benchmarks.md, twentieth
 * sitting). An account stays here until this process lets it go with no one waiting for it, or
 * CONTENDED_FOR_MS after it was last found busy (another process may have held it all along).
 */
export class ContendedAccounts {
  private readonly seenBusyAt = new Map<string, number>();

  /** The account (by its lock key) was found busy at `now`. */
  foundBusy(lockKey: string, now = Date.now()): void {
    // Deleted first, so the Map's order stays the order of the last sightings.
    this.seenBusyAt.delete(lockKey);
    this.seenBusyAt.set(lockKey, now);
    if (this.seenBusyAt.size > MOST_REMEMBERED) this.seenBusyAt.delete(this.seenBusyAt.keys().next().value!);
  }

  /** This process let the account go and nobody waited for it. */
  letGoUnwaited(lockKey: string): void {
    this.seenBusyAt.delete(lockKey);
  }

  mayBeBusy(lockKey: string, now = Date.now()): boolean {
    const seen = this.seenBusyAt.get(lockKey);
    if (seen === undefined) return false;
    if (now - seen < CONTENDED_FOR_MS) return true;
    this.seenBusyAt.delete(lockKey);
    return false;
  }
}
