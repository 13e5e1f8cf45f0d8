import type { ResultBatch } from '../domain/types.js';

/**
 * A recorded batch, and either its JSON text as the request keeps it or `queued`: record-results.lua
 * added its result job already (ResultJobs).
 */
export interface KeptBatch {
  batch: ResultBatch;
  json?: string;
  queued?: boolean;
  /** No outbox entry names it (ResultJobs.listenersBeyond): nothing to remove once handed on. */
  entryless?: boolean;
}

/** A kept batch that was alone in its outbox when recorded, with its sequence number. */
export interface AloneBatch extends KeptBatch {
  seq: string;
}

/**
 * Result batches this process has just recorded, kept until it publishes them: the publisher then
 * need not read back from Redis, and parse, the batch it serialised a moment ago (for a
 * 1000-target call, ~130 KB each way). Only a batch recorded whole is kept (every final was new),
 * so it is exactly the text record-results.lua kept for the request. Keyed by the outbox key
 * (prefix included) and the batch's sequence number, which name one outbox entry for good. A miss
 * (another process recorded it, a restart, an eviction) reads it back through the outbox.
 *
 * A batch that was alone in its outbox when recorded (the usual case: each call's batch is
 * published before the next call) is also noted by outbox, so the publisher can publish it
 * without listing the outbox first.
 */
export class RecordedBatches {
  private readonly kept = new Map<string, KeptBatch>();
  /** Outbox key → the sequence of the batch that was alone in it when recorded. */
  private readonly alone = new Map<string, string>();

  constructor(private readonly most = 256) {}

  keep(outboxKey: string, seq: number, batch: KeptBatch, aloneInOutbox = false): void {
    // Oldest first out: a batch never published by this process (its job moved on, the worker is
    // stopping) is read from the outbox by whoever publishes it.
    if (this.kept.size >= this.most) this.forget(this.kept.keys().next().value!);
    this.kept.set(`${outboxKey}\n${seq}`, batch);
    if (aloneInOutbox) this.alone.set(outboxKey, String(seq));
    else this.alone.delete(outboxKey);
  }

  /** The batch, once: it is forgotten as it is handed out. */
  take(outboxKey: string, seq: string): KeptBatch | undefined {
    const key = `${outboxKey}\n${seq}`;
    const batch = this.kept.get(key);
    if (batch) this.forget(key);
    return batch;
  }

  /**
   * A new pass of the job starts: what this process knew of its outbox may be stale (another
   * worker may have held the job meanwhile), so its next publish lists the outbox.
   */
  forgetAlone(outboxKey: string): void {
    this.alone.delete(outboxKey);
  }

  /** The batch that was alone in this outbox when recorded, if it is still kept; once. */
  takeAlone(outboxKey: string): AloneBatch | undefined {
    const seq = this.alone.get(outboxKey);
    if (seq === undefined) return undefined;
    const kept = this.take(outboxKey, seq);
    return kept && { ...kept, seq };
  }

  private forget(key: string): void {
    this.kept.delete(key);
    const cut = key.lastIndexOf('\n');
    const outboxKey = key.slice(0, cut);
    if (this.alone.get(outboxKey) === key.slice(cut + 1)) this.alone.delete(outboxKey);
  }
}

/** The process's batches: JobStore keeps, ResultPublisher takes (both per process, as Redis is). */
export const recordedBatches = new RecordedBatches();
