import { DelayedError, Worker, type Job } from 'bullmq';

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

/** No next job: what BullMQ's own handleFailed resolves then too, whatever its declared type says. */
const NO_NEXT_JOB = undefined as unknown as Job;

/** What BullMQ's Worker keeps private and a fetched next job needs (worker.js, 6.7.0). */
interface WorkerDelays {
  updateDelays(rateLimitDelay?: number, delayUntil?: number): void;
}

/**
 * A BullMQ Worker that moves a job thrown out with DelayUntil to delayed and takes its next job
 * in one round trip: BullMQ's own moveToDelayed script can fetch the next job (as its
 * moveToFinished does for a completed one), but a processor that moves its job itself and throws
 * DelayedError leaves the Worker a moveToActive of its own to make. Most passes of a paced backlog
 * wait (a GeWe sweep: four in five), so that was a round trip in three of each such pass.
 * Anything else goes to BullMQ as before.
 */
export class DelayingWorker extends Worker {
  protected override async handleFailed(err: Error, job: Job, token: string, fetchNextCallback = () => true, span?: Parameters<Worker['handleFailed']>[4]) {
    if (!(err instanceof DelayUntil) || this.backend.closing) return super.handleFailed(err, job, token, fetchNextCallback, span);
    const fetchNext = fetchNextCallback() && !(this.closing || this.isPaused());
    const now = Date.now();
    const delay = Math.max(0, Math.round(err.untilMs) - now);
    const next = await this.backend.moveToDelayed(String(job.id), now, delay, token, { skipAttempt: true, fetchNext });
    job.delay = delay;
    if (!fetchNext || !Array.isArray(next)) return NO_NEXT_JOB;
    const [jobData, jobId, rateLimitDelay, delayUntil] = next;
    (this as unknown as WorkerDelays).updateDelays(rateLimitDelay, delayUntil);
    return this.nextJobFromJobData(jobData, jobId, token);
  }
}
