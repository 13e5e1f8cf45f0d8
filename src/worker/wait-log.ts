import type { Job } from 'bullmq';
import type { Logger } from '../lib/logger.js';
import type { Wait } from './wait.js';

/** Jobs remembered at once; a job that moved to another worker is forgotten oldest first. */
const REMEMBERED_JOBS = 10_000;

/**
 * Writes why a job waits, and until when, into its BullMQ log (`job.log`), which the dashboard
 * shows: a delayed job says nothing else. A reason is written once while it repeats, so that a
 * job waiting its turn for an hour keeps a short log. What was last written is remembered in
 * this process only: a job that moves between workers may repeat a line, never lose one.
 */
export class WaitLog {
  private readonly last = new Map<string, string>();

  constructor(private readonly logger: Logger) {}

  note(job: Job, wait: Wait): void {
    const id = String(job.id);
    if (this.last.get(id) === wait.reason) return;
    this.last.delete(id);
    this.last.set(id, wait.reason);
    if (this.last.size > REMEMBERED_JOBS) this.last.delete(this.last.keys().next().value!);
    const line = `${new Date().toISOString()} waits until ${new Date(wait.untilMs).toISOString()}: ${wait.reason}`;
    // Best effort: a lost line must never hold the job up.
    job.log(line).catch((err: unknown) => this.logger.debug({ err, jobId: id }, 'could not write a wait to the job log'));
  }

  forget(job: Job): void {
    this.last.delete(String(job.id));
  }
}
