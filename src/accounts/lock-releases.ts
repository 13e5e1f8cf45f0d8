import type { RedisClient } from '../lib/redis-client.js';
import type { Logger } from '../lib/logger.js';

/** A wait for one lease to be let go; `cancel` ends it early (as not freed). */
export interface ReleaseWait {
  /** True when the lease was let go in time; false at the deadline, on cancel, or on close. */
  freed: Promise<boolean>;
  cancel(): void;
}

/**
 * The share of a worker's WORKER_CONCURRENCY slots that jobs may take waiting in place for busy
 * accounts; the rest stay for calls, so that deep lines on a few accounts cannot starve the others
 * when the provider answers slowly. Three quarters: the bench's full batches hold about half.
 */
export const HELD_SHARE = 0.75;

/**
 * Tells this process when an account's lease is let go on any worker: lock-release.lua publishes
 * the lease key on one channel whenever someone waits for it, and this subscriber wakes the local
 * waits for that key. A hint only: a missed message (a reconnect, a release before the wait
 * began) costs the waiter its deadline, never a call out of turn, since the lease itself is
 * still taken atomically (lock-acquire.lua).
 *
 * Why: a job that finds its account busy went back to delayed, and came back later through a
 * whole BullMQ pass (the job's data shipped and parsed again, a move to delayed, a promote).
 * With one job of 1000 targets per call and several jobs per account (how the client cuts a big
 * request), that pass cost a fifth of a call's CPU for most jobs.
 */
export class LockReleases {
  private readonly waiting = new Map<string, Set<(freed: boolean) => void>>();
  private holding = 0;
  private closed = false;
  /** Settles once subscribed (or the subscription failed: then no wait is ever told, and each runs to its deadline). */
  readonly ready: Promise<void>;

  /**
   * `most`: how many jobs of this process may wait in place at once (startHold); beyond it a job
   * waits delayed as before. Jobs waiting in place for the deep lines of a few accounts must not
   * take every slot from other accounts' calls, which matters when the provider answers slowly.
   */
  constructor(
    private readonly subscriber: RedisClient,
    readonly channel: string,
    logger?: Logger,
    private readonly most = Number.POSITIVE_INFINITY,
  ) {
    subscriber.on('message', (from: string, lockKey: string) => {
      if (from === channel) this.settle(lockKey, true);
    });
    this.ready = subscriber.subscribe(channel).then(
      () => undefined,
      (err: unknown) => logger?.warn({ err }, 'could not subscribe to lease releases; busy accounts are looked at again later'),
    );
  }

  /** Waits up to `ms` for the lease at `lockKey` to be let go. Start it before looking at the lease. */
  waitFor(lockKey: string, ms: number): ReleaseWait {
    if (this.closed || ms <= 0) return { freed: Promise.resolve(false), cancel: () => undefined };
    let settle!: (freed: boolean) => void;
    const freed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), ms);
      settle = (value) => {
        clearTimeout(timer);
        this.drop(lockKey, settle);
        resolve(value);
      };
    });
    const waits = this.waiting.get(lockKey) ?? new Set();
    waits.add(settle);
    this.waiting.set(lockKey, waits);
    return { freed, cancel: () => settle(false) };
  }

  /** Takes one of the `most` places for a job that waits in place; false when none is free. */
  startHold(): boolean {
    if (this.holding >= this.most) return false;
    this.holding += 1;
    return true;
  }

  /** Gives back a place that startHold gave. */
  endHold(): void {
    this.holding -= 1;
  }

  /** Ends every wait (as not freed) and the subscription: the worker is stopping. */
  close(): void {
    this.closed = true;
    for (const lockKey of [...this.waiting.keys()]) this.settle(lockKey, false);
    this.subscriber.disconnect();
  }

  private settle(lockKey: string, freed: boolean): void {
    for (const settle of [...(this.waiting.get(lockKey) ?? [])]) settle(freed);
  }

  private drop(lockKey: string, settle: (freed: boolean) => void): void {
    const waits = this.waiting.get(lockKey);
    waits?.delete(settle);
    if (waits?.size === 0) this.waiting.delete(lockKey);
  }
}
