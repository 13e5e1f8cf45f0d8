import { Job, type JobsOptions, type Queue } from 'bullmq';

/** Each pending job's data, already serialised, by the data object (forgotten with it). */
const serialized = new WeakMap<object, string>();

/**
 * A job whose data was serialised before it was added. BullMQ serialises a job's data with
 * JSON.stringify as it adds it; a result batch that ResultPublisher adds (one read back from an
 * outbox: most are added by record-results.lua) was serialised already, and that text is
 * what JSON.stringify gives for it (the same keys in the same order). For a 1000-target call the
 * batch is ~130 KB: the second serialisation was 3.5 % of a TIM worker's CPU (BullMQ's
 * `Job.asJSON` in a full-batch profile). Everything else BullMQ does as it adds a job is kept.
 */
class SerializedDataJob extends Job {
  override asJSON(): ReturnType<Job['asJSON']> {
    const text = typeof this.data === 'object' && this.data !== null ? serialized.get(this.data) : undefined;
    if (text === undefined) return super.asJSON();
    const data = this.data;
    // With no data BullMQ serialises `{}`; the text takes its place.
    this.data = undefined;
    try {
      return { ...super.asJSON(), data: text };
    } finally {
      this.data = data;
    }
  }
}

/**
 * `queue.add(name, data, opts)` for data whose JSON text the caller holds already: `text` must
 * be `JSON.stringify(data)`. The queue's default job options apply as `Queue.add` applies them.
 */
export function addSerialized<T extends object>(queue: Queue, name: string, data: T, text: string, opts: JobsOptions): Promise<Job> {
  serialized.set(data, text);
  return SerializedDataJob.create(queue, name, data, { ...queue.defaultJobOptions, ...opts });
}
