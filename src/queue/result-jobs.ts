import type { JobsOptions, Queue } from 'bullmq';
import type { ProviderName } from '../domain/types.js';

/**
 * How record-results.lua adds each recorded batch's job to `friend-add-results`, in the same step
 * that records it: the queue's keys, and the options every result job gets. ResultPublisher adds
 * a batch this way only when it was not added so (a batch read back from an outbox), with the same
 * options. `on` is RESULTS_QUEUE.
 */
export class ResultJobs {
  on = true;
  /**
   * Some listener of the batches lives beyond this process (the webhook's queue): every batch
   * needs its outbox entry until handed on. Without one, record-results.lua writes no entry for a
   * batch it adds the job of, recorded whole into an empty outbox: the result job, added in the
   * same step, was all that had to outlive a crash, and the in-process listeners (the metrics)
   * die with the process anyway. Saves the entry, and the round trip that removed it, per call.
   */
  listenersBeyond = false;
  /** The results queue's wait, meta, id, active, events and marker keys, as record-results.lua takes them. */
  readonly keys: readonly string[];
  private readonly jobKeyPrefix: string;
  private readonly optsJson: string;

  constructor(
    queue: Queue,
    private readonly keepMs: number,
  ) {
    const k = queue.keys;
    this.keys = [k.wait!, k.meta!, k.id!, k.active!, k.events!, k.marker!];
    this.jobKeyPrefix = k['']!;
    // BullMQ's Job sets attempts 0 unless told; the id is each job's own (record-results.lua adds it).
    const { jobId: _id, ...options } = this.options('');
    this.optsJson = JSON.stringify({ attempts: 0, ...queue.defaultJobOptions, ...options });
  }

  /** The options of the result job `jobId`: kept for the request's life, as its results are. */
  options(jobId: string): JobsOptions {
    const age = { age: Math.ceil(this.keepMs / 1000) };
    return { jobId, removeOnComplete: age, removeOnFail: age };
  }

  /**
   * The arguments that end record-results.lua's: add the job or not, and what it is; then whether
   * a batch added so may go without an outbox entry (see listenersBeyond).
   */
  scriptArgs(provider: ProviderName, now: number): string[] {
    const entryless = this.on && !this.listenersBeyond;
    return [this.on ? '1' : '0', this.jobKeyPrefix, this.optsJson, provider, String(now), entryless ? '1' : '0'];
  }
}
