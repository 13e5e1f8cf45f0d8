import { DelayedError, Worker, type Job } from 'bullmq';
import { moveToDelayed } from 'bullmq/dist/cjs/scripts/moveToDelayed-11.js';
import { raw2NextJobData } from 'bullmq/dist/cjs/classes/redis-queue-backend.js';
import { markRunByFieldWriter, takeCompletionFields } from './completion-fields.js';

/**
 * BullMQ's own moveToDelayed script, for a script of ours that moves its job as one of its steps
 * (composedScript; gewe-start.lua). DelayingWorker.delayStep gives its keys and arguments.
 */
export const BULLMQ_MOVE_TO_DELAYED = { source: moveToDelayed.content };

/**
 * A processor's "not now, at `untilMs`": thrown instead of moving the job itself, so that
 * DelayingWorker moves it and fetches the worker's next job in the same step.
 */
export class DelayUntil extends DelayedError {
  constructor(
    readonly untilMs: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The job is delayed already: a script of the processor's own moved it with BullMQ's
 * moveToDelayed (BULLMQ_MOVE_TO_DELAYED, with DelayingWorker.delayStep's arguments), whose reply,
 * `next`, holds the worker's next job, if it fetched one.
 */
export class MovedToDelayed extends DelayedError {
  constructor(
    readonly next: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** BullMQ's moveToDelayed keys and arguments, for a script that composes it in; its delay (ARGV[5]) and time (ARGV[2]) are the script's to set. */
export interface DelayStep {
  keys: string[];
  args: (string | number | Buffer)[];
}

type NextJobData = ReturnType<typeof raw2NextJobData>;

/** No next job: what BullMQ's own handleFailed resolves then too, whatever its declared type says. */
const NO_NEXT_JOB = undefined as unknown as Job;

/** What BullMQ's Worker keeps private and a fetched next job needs (worker.js, 6.7.0). */
interface WorkerDelays {
  updateDelays(rateLimitDelay?: number, delayUntil?: number): void;
}

/** BullMQ's backend builds moveToFinished's arguments with fields to write (ARGV[9]); protected in its types (6.7.0). */
interface FinishingBackend {
  moveToFinishedArgs(
    job: Job,
    val: string,
    propVal: 'returnvalue',
    shouldRemove: Job['opts']['removeOnComplete'],
    target: 'completed',
    token: string,
    timestamp: number,
    fetchNext: boolean,
    fieldsToUpdate: Record<string, string>,
  ): (string | number | boolean | Buffer)[];
  moveToFinishedKeys: unknown[];
}

/**
 * A BullMQ Worker that moves a job thrown out with DelayUntil to delayed and takes its next job
 * in one round trip: BullMQ's own moveToDelayed script can fetch the next job (as its
 * moveToFinished does for a completed one), but a processor that moves its job itself and throws
 * DelayedError leaves the Worker a moveToActive of its own to make. Most passes of a paced backlog
 * wait (a GeWe sweep: four in five), so that was a round trip in three of each such pass. A job
 * its processor's own script moved (MovedToDelayed) needs only its next job taken. Anything else
 * goes to BullMQ as before.
 *
 * It also completes a job with the fields its processor asked for (writeOnCompletion: the job's
 * final progress) written by the same moveToFinished, which BullMQ's script can do (as its own
 * retries use it) but its Worker never asks: a round trip of every job's end before.
 */
export class DelayingWorker extends Worker {
  /** The arguments for moving `job` (held with `token`) with BullMQ's moveToDelayed, fetching the next job unless closing. */
  delayStep(job: Job, token: string): DelayStep {
    const fetchNext = this.mayTakeNext();
    const all = this.backend.moveToDelayedArgs(String(job.id), Date.now(), token, 0, { skipAttempt: true, fetchNext });
    const args = all.slice(moveToDelayed.keys).map((a) => a ?? '');
    return { keys: all.slice(0, moveToDelayed.keys).map(String), args };
  }

  protected override async handleFailed(err: Error, job: Job, token: string, fetchNextCallback = () => true, span?: Parameters<Worker['handleFailed']>[4]) {
    if (err instanceof MovedToDelayed) return Array.isArray(err.next) ? this.takeNext(raw2NextJobData(err.next), token) : NO_NEXT_JOB;
    if (!(err instanceof DelayUntil) || this.backend.closing) return super.handleFailed(err, job, token, fetchNextCallback, span);
    const fetchNext = fetchNextCallback() && this.mayTakeNext();
    const now = Date.now();
    const delay = Math.max(0, Math.round(err.untilMs) - now);
    const next = await this.backend.moveToDelayed(String(job.id), now, delay, token, { skipAttempt: true, fetchNext });
    job.delay = delay;
    return fetchNext && Array.isArray(next) ? this.takeNext(next as NextJobData, token) : NO_NEXT_JOB;
  }

  protected override callProcessJob(job: Job, token: string, signal?: AbortSignal) {
    markRunByFieldWriter(job);
    return super.callProcessJob(job, token, signal);
  }

  /**
   * As BullMQ's own handleCompleted and Job.moveToCompleted (worker.js, job.js, 6.7.0), with the
   * fields asked for written by the move; without any, BullMQ's own.
   */
  protected override async handleCompleted(
    result: unknown,
    job: Job,
    token: string,
    fetchNextCallback = () => true,
    span?: Parameters<Worker['handleCompleted']>[4],
  ) {
    const fields = takeCompletionFields(job);
    if (!fields || this.backend.closing) return super.handleCompleted(result, job, token, fetchNextCallback, span);
    const fetchNext = fetchNextCallback() && this.mayTakeNext();
    const backend = this.backend as unknown as FinishingBackend;
    const returned = JSON.stringify(result) ?? 'null';
    const args = backend.moveToFinishedArgs(job, returned, 'returnvalue', job.opts.removeOnComplete, 'completed', token, Date.now(), fetchNext, fields);
    const next = await this.backend.moveToFinished(String(job.id), args);
    job.returnvalue = result;
    job.finishedOn = Number(args[backend.moveToFinishedKeys.length + 1]);
    job.attemptsMade += 1;
    this.emit('completed', job, result, 'active');
    return Array.isArray(next) ? this.takeNext(next as NextJobData, token) : NO_NEXT_JOB;
  }

  /** A move may fetch the worker's next job: not while it closes or is paused (as BullMQ's own moves ask). */
  private mayTakeNext(): boolean {
    return !(this.closing || this.isPaused());
  }

  /** The next job a move fetched, if it did (raw2NextJobData's reading): the Worker runs it as one it fetched. */
  private takeNext([jobData, jobId, rateLimitDelay, delayUntil]: NextJobData, token: string): Promise<Job> {
    (this as unknown as WorkerDelays).updateDelays(rateLimitDelay, delayUntil);
    return this.nextJobFromJobData(jobData ?? undefined, jobId, token);
  }
}
