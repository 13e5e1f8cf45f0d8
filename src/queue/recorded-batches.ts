import type { ResultBatch } from '../domain/types.js';

/**
 * Result batches this process has just recorded, kept until it publishes them: the publisher then
 * need not read back from Redis, and parse, the batch it serialised a moment ago (for a
 * 1000-target call, ~130 KB each way). Only a batch recorded whole is kept (every final was new),
 * so it is exactly what record-results.lua wrote to the outbox. Keyed by the outbox key (prefix
 * included) and the batch's sequence number, which name one outbox entry for good. A miss (another
 * process recorded it, a restart, an eviction) reads the outbox as before.
 */
/** A recorded batch, and its JSON text as the outbox holds it. */
export interface KeptBatch {
  batch: ResultBatch;
  json: string;
}

export class RecordedBatches {
  private readonly kept = new Map<string, KeptBatch>();

  constructor(private readonly most = 256) {}

  keep(outboxKey: string, seq: number, batch: KeptBatch): void {
    // Oldest first out: a batch never published by this process (its job moved on, the worker is
    // stopping) is read from the outbox by whoever publishes it.
    if (this.kept.size >= this.most) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(`${outboxKey}\n${seq}`, batch);
  }

  /** The batch, once: it is forgotten as it is handed out. */
  take(outboxKey: string, seq: string): KeptBatch | undefined {
    const key = `${outboxKey}\n${seq}`;
    const batch = this.kept.get(key);
    if (batch) this.kept.delete(key);
    return batch;
  }
}

/** The process's batches: JobStore keeps, ResultPublisher takes (both per process, as Redis is). */
export const recordedBatches = new RecordedBatches();
