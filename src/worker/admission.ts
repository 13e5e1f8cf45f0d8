/** A place in the admission line, held until the job is ready to wait for its rate permit. */
export interface Admitted {
  /** Gives the place to the next job; safe to call more than once. */
  leave(): void;
}

/**
 * How many of this process's jobs may do their pre-call work at once: read and validate the job,
 * load its state, take its account, sign and serialise. When a backlog is released (or a worker
 * restarts into one), BullMQ hands each process WORKER_CONCURRENCY jobs at once. Doing all their
 * Redis round trips in lockstep, none reached the rate gate for 0.3–0.5 s, and the backlog's first
 * second ran at 3/4 of the limit. Let in a few at a time, first come first served, and the first
 * are ready at once while the rest follow.
 *
 * A counter and a queue of waiters, not a Bottleneck with `maxConcurrent` (the first version):
 * Bottleneck's per-job bookkeeping (its events, locks and datastore, each an async step) was
 * 3.7 % of a worker's main thread under a full-batch backlog, for what is a semaphore
 * (docs/benchmarks.md, fifteenth sitting).
 */
export class Admission {
  private inside = 0;
  private readonly waiting: Array<(admitted: Admitted) => void> = [];

  constructor(readonly width: number) {}

  /** Waits for a place. The caller must `leave()` on every path, or the place is lost for good. */
  enter(): Promise<Admitted> {
    return new Promise((admit) => {
      if (this.inside < this.width) this.admit(admit);
      else this.waiting.push(admit);
    });
  }

  private admit(admit: (admitted: Admitted) => void): void {
    this.inside += 1;
    let left = false;
    admit({
      leave: () => {
        if (left) return;
        left = true;
        this.inside -= 1;
        const next = this.waiting.shift();
        if (next) this.admit(next);
      },
    });
  }
}

/**
 * Wide enough to feed the gate at the full rate even when the pre-call work of a 1000-target job
 * takes ~150 ms on a busy process (measured: a width of 2 cost full batches 12 % of their rate,
 * 8–16 cost nothing), and never wider than the worker's concurrency.
 */
export function admissionWidth(ratePerSec: number, concurrency: number): number {
  return Math.max(1, Math.min(concurrency, Math.max(4, Math.ceil(ratePerSec * 0.16))));
}
