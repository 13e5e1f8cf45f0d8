import type { Job } from 'bullmq';

/** Jobs run by a worker that writes completion fields (DelayingWorker marks them as it starts them). */
const runByFieldWriter = new WeakSet<Job>();
/** Job hash fields to write in the step that completes the job, by job. */
const pending = new WeakMap<Job, Record<string, string>>();

/** DelayingWorker: `job` runs here, and its completion writes what `writeOnCompletion` asks. */
export function markRunByFieldWriter(job: Job): void {
  runByFieldWriter.add(job);
}

/**
 * Asks for `fields` (job hash fields, as BullMQ stores them: `progress` as JSON) to be written in
 * the step that completes the job, BullMQ's own moveToFinished, rather than in a round trip of
 * their own just before it. False when the job's worker cannot (not a DelayingWorker): the caller
 * writes them itself. Fields asked for a job that then fails or waits are not written.
 */
export function writeOnCompletion(job: Job, fields: Record<string, string>): boolean {
  if (!runByFieldWriter.has(job)) return false;
  pending.set(job, { ...pending.get(job), ...fields });
  return true;
}

/** The fields asked for `job`'s completion, once: the worker takes them as it completes it. */
export function takeCompletionFields(job: Job): Record<string, string> | undefined {
  const fields = pending.get(job);
  pending.delete(job);
  return fields;
}
