import type { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import type { ResultBatch } from '../domain/types.js';
import type { JobRef } from './job-ref.js';
import type { CrashPoint } from '../config/config.js';
import { crashPoint } from '../lib/crash-point.js';
import { recordedBatches, type KeptBatch, type RecordedBatches } from './recorded-batches.js';
import { addSerialized } from './serialized-data-job.js';
import { ResultJobs } from './result-jobs.js';

/**
 * Called after a batch is on `friend-add-results` and before it leaves the outbox, with the
 * result job's id: a listener that throws (the webhook's queue is down) has the batch published
 * again later, with the same id, so listeners must be idempotent by that id.
 */
export type PublishListener = (batch: ResultBatch, resultJobId: string) => void | Promise<void>;

/**
 * Moves recorded result batches from a job's outbox to the listeners (the webhook, the metrics).
 * The outbox names the batches not yet handed on; their texts are the request's (request-results.ts).
 * record-results.lua added each batch's job to `friend-add-results` as it recorded it
 * (ResultJobs); a batch this process did not record so (read back from the outbox) is added here.
 * Each batch has a deterministic job id (`<stateId>-<seq>`), so adding it again after a crash adds
 * nothing new while the first copy is kept (results are kept for REQUEST_TTL_HOURS).
 *
 * With RESULTS_QUEUE=off (`writeQueue(false)`) the batch goes to the listeners only (the webhook,
 * the metrics), under the same id: a webhook-only deployment has no BullMQ consumer, and under
 * `noeviction` a queue nobody drains would grow until Redis refuses writes. Request status still
 * holds every result: record-results.lua wrote it before the batch reached the outbox.
 */
export class ResultPublisher {
  private readonly listeners: PublishListener[] = [];

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly results: Queue,
    keepMs: number,
    private readonly crashAt?: CrashPoint,
    private readonly batches: RecordedBatches = recordedBatches,
    /** Shared with JobStore, which adds most batches' jobs as it records them. */
    readonly resultJobs: ResultJobs = new ResultJobs(results, keepMs),
  ) {}

  /**
   * `where`: `beyond` for a listener that hands batches on outside this process (the webhook's
   * queue), which a batch's outbox entry must outlive a crash for; `in-process` for one whose
   * state dies with the process (the metrics). See ResultJobs.listenersBeyond.
   */
  onPublished(listener: PublishListener, where: 'beyond' | 'in-process' = 'beyond'): void {
    this.listeners.push(listener);
    if (where === 'beyond') this.resultJobs.listenersBeyond = true;
  }

  /** RESULTS_QUEUE: false stops writing `friend-add-results`; listeners still get every batch. */
  writeQueue(on: boolean): void {
    this.resultJobs.on = on;
  }

  /**
   * Publishes every pending batch of the job, oldest first. A batch this process just recorded
   * alone in the outbox is all there is: it is published without listing the outbox. Otherwise
   * the outbox is listed by its keys; a batch this process recorded is taken from memory, any
   * other is read from the outbox.
   */
  async flush(ref: JobRef): Promise<number> {
    const outboxKey = this.keys.outbox(ref.stateId);
    const alone = this.batches.takeAlone(outboxKey);
    if (alone) {
      await this.publish(ref, outboxKey, alone.seq, alone);
      return 1;
    }
    const seqs = (await this.redis.hkeys(outboxKey)).sort((a, b) => Number(a) - Number(b));
    for (const seq of seqs) {
      const kept = this.batches.take(outboxKey, seq) ?? (await this.read(ref, outboxKey, seq));
      // Not there: published and removed by another holder of the job meanwhile.
      if (kept) await this.publish(ref, outboxKey, seq, kept);
    }
    return seqs.length;
  }

  private async publish(ref: JobRef, outboxKey: string, seq: string, kept: KeptBatch): Promise<void> {
    const { batch, json } = kept;
    const jobId = `${ref.stateId}-${seq}`;
    // A batch read back from the outbox may have been added already (by record-results.lua, or by
    // a publish cut short): BullMQ keeps the first job of an id, and reports it `duplicated`.
    if (this.resultJobs.on && !kept.queued) {
      // The batch's JSON is at hand (recorded or read just now): BullMQ need not serialise it again.
      await addSerialized(this.results, ref.provider, batch, json ?? JSON.stringify(batch), this.resultJobs.options(jobId));
    }
    for (const listener of this.listeners) await listener(batch, jobId);
    crashPoint(this.crashAt, 'writing-results');
    if (!kept.entryless) await this.redis.hdel(outboxKey, seq);
  }

  /**
   * A batch from the outbox: an empty entry's text is the request's, under the batch's id
   * (record-results.lua); an entry written before the request kept its texts by id holds its own.
   * The request's texts live at least as long as the outbox: every record and every pass of any of
   * its jobs renews them.
   */
  private async read(ref: JobRef, outboxKey: string, seq: string): Promise<KeptBatch | undefined> {
    const entry = await this.redis.hget(outboxKey, seq);
    if (entry === null) return undefined;
    const json = entry === '' ? await this.requestText(ref, seq) : entry;
    return { batch: JSON.parse(json) as ResultBatch, json };
  }

  private async requestText(ref: JobRef, seq: string): Promise<string> {
    const textsKey = this.keys.requestResultTexts(ref.requestId);
    const json = await this.redis.hget(textsKey, `${ref.stateId}-${seq}`);
    if (json === null) throw new Error(`result batch ${ref.stateId}-${seq} is in the outbox but has no text in ${textsKey}`);
    return json;
  }
}
