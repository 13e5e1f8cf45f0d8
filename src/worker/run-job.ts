import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../lib/logger.js';
import { secrets } from '../lib/secrets.js';
import { Wait } from './wait.js';
import { LostJobError } from '../queue/job-store.js';

/**
 * Maps a processor's outcome to BullMQ, in one place (a LostJobError is let through: the job is
 * no longer this worker's to move):
 * - Wait → the job is delayed in Redis until then; no attempt is used, no slot is held;
 * - UnrecoverableError → the job fails at once (bad input; its targets already have results);
 * - anything else (a Redis blip, a bug) → the job is delayed and tried again, never failed: a
 *   producer's job has one attempt by BullMQ's default, and failing it would lose its targets.
 */
export async function runJob<T>(job: Job, token: string | undefined, logger: Logger, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UnrecoverableError || err instanceof DelayedError) throw err;
    if (err instanceof LostJobError) {
      // Nothing to move: BullMQ refuses any move without the lock, and logs it.
      logger.warn({ jobId: job.id }, 'job lost to another worker or to a Redis restart; dropped here');
      throw err;
    }
    const wait = err instanceof Wait ? err : unexpected(err, job, logger);
    await job.moveToDelayed(Math.max(Date.now(), Math.round(wait.untilMs)), token);
    throw new DelayedError(secrets.scrub(wait.message));
  }
}

/** The backoff for an unexpected error: a few seconds, so a Redis restart is ridden out. */
function unexpected(err: unknown, job: Job, logger: Logger): Wait {
  logger.error({ err, jobId: job.id }, 'unexpected error while processing a job; it will be tried again');
  return new Wait(Date.now() + 2000 + Math.random() * 3000, 'unexpected error');
}
