import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { DelayUntil } from '../queue/delaying-worker.js';
import type { Logger } from '../lib/logger.js';
import { secrets } from '../lib/secrets.js';
import { Wait } from './wait.js';
import { stackless } from '../lib/stackless.js';
import { LostJobError } from '../queue/job-store.js';
import { retryDelayMs } from './retry-policy.js';
import type { ErrorBudget } from './error-budget.js';
import type { WaitLog } from './wait-log.js';

/** What the job wrapper needs besides the job: where to log, what bounds errors, where waits are told. */
export interface JobRunContext {
  logger: Logger;
  budget?: ErrorBudget;
  waits?: WaitLog;
}

/** The first pause after an unexpected error; it doubles with each error in a row. */
const UNEXPECTED_BASE_MS = 2000;

/**
 * Maps a processor's outcome to BullMQ, in one place (a LostJobError is let through: the job is
 * no longer this worker's to move):
 * - Wait → the job is delayed in Redis until then (DelayUntil, which the worker carries out: see
 *   src/queue/delaying-worker.ts); no attempt is used, no slot is held;
 * - UnrecoverableError → the job fails at once (bad input; its targets already have results);
 * - anything else (a Redis blip, a bug) → the job is delayed, longer each time, and tried again:
 *   a producer's job has one attempt by BullMQ's default, and failing it would lose its targets.
 *   After `budget.maxInARow` such errors in a row, its open targets end failed/internal_error.
 * Every wait is told in the job's own log (wait-log.ts), which the dashboard shows.
 */
export async function runJob<T>(job: Job, token: string | undefined, context: JobRunContext, body: () => Promise<T>): Promise<T> {
  const { logger, budget, waits } = context;
  try {
    const done = await body();
    waits?.forget(job);
    return done;
  } catch (err) {
    if (err instanceof UnrecoverableError || err instanceof DelayedError) throw err;
    if (err instanceof LostJobError) {
      // Nothing to move: BullMQ refuses any move without the lock, and logs it.
      logger.warn({ jobId: job.id }, 'job lost to another worker or to a Redis restart; dropped here');
      throw err;
    }
    const wait = err instanceof Wait ? err : await unexpected(err, job, token, logger, budget);
    waits?.note(job, wait);
    // The worker (DelayingWorker) moves the job, and takes its next one in the same step.
    throw stackless(() => new DelayUntil(wait.untilMs, secrets.scrub(wait.message)));
  }
}

/**
 * The backoff for an unexpected error, growing with the errors in a row (counted in the job's
 * state, so a crash loop across workers counts too). At the budget's bound, gives up instead.
 */
async function unexpected(err: unknown, job: Job, token: string | undefined, logger: Logger, budget?: ErrorBudget): Promise<Wait> {
  // Redis may be what failed: then the count is unknown, and the job only waits a little.
  const errors = budget ? await budget.count(job).catch(() => undefined) : undefined;
  logger.error({ err, jobId: job.id, errors }, 'unexpected error while processing a job; it will be tried again');
  if (budget && errors !== undefined && errors >= budget.maxInARow) await giveUpOrWait(budget, job, token, err, errors, logger);
  return new Wait(Date.now() + retryDelayMs(errors ?? 1, UNEXPECTED_BASE_MS), 'unexpected error');
}

async function giveUpOrWait(budget: ErrorBudget, job: Job, token: string | undefined, err: unknown, errors: number, logger: Logger) {
  try {
    await budget.giveUp(job, token, err, errors);
  } catch (giveUpErr) {
    if (giveUpErr instanceof UnrecoverableError) throw giveUpErr;
    logger.error({ err: giveUpErr, jobId: job.id }, 'could not end the targets of a failing job; it will be tried again');
  }
}
