import { Job, Queue, type JobJson } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import { HANDOFF_QUEUE_PREFIX, handoffQueueName } from './names.js';
import type { Service } from '../fleet/served-services.js';

/** What a handed-off intake job completes with: where its work went on. */
export interface HandedOff {
  handedTo: string;
}

/**
 * Hand-off queues, one per service (`tim`, `tim:<sdkAppId>`, `gewe`). Workers configured
 * differently share one intake; a job that reaches a worker that cannot serve it moves to its
 * service's hand-off queue, which only the workers serving that service consume. Handing it back
 * to the intake instead was a race the wrong worker tended to win: it learns the job's due time
 * first and blocks first, so a job could bounce between workers for a minute.
 *
 * The copy keeps the job's id, name, data, creation time and priority: its state in Redis (keyed
 * by id and creation time), its request's list of jobs, and its results are the same job's. The
 * intake job completes with `{ handedTo }`, so status, the dashboard and wakes can follow it.
 */
export class HandoffQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
    private readonly onError: (err: Error, queue: string) => void = () => undefined,
  ) {}

  queueFor(service: Service): Queue {
    return this.named(handoffQueueName(service));
  }

  /** A hand-off queue by its name (as a handed-off job's `handedTo` says). */
  named(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      queue.on('error', (err) => this.onError(err, name));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Adds the job's copy to its service's queue. Adding is idempotent by job id, so a worker
   * killed after the add and before the intake job completed hands it off again harmlessly.
   */
  async handOff(job: Job, service: Service): Promise<HandedOff> {
    const queue = this.queueFor(service);
    await HandoffCopy.create(queue, job.name, job.data, { jobId: job.id, timestamp: job.timestamp, priority: job.opts.priority });
    return { handedTo: queue.name };
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}

/**
 * A job's copy in a hand-off queue. BullMQ refuses a custom id that looks like an integer (it
 * could clash with the ids it numbers itself), but intake jobs added without an id have exactly
 * such ids. A hand-off queue never numbers a job itself, so the intake's id is kept: the id is
 * left out of that one check, and every other check of the options still runs.
 */
class HandoffCopy extends Job {
  protected override validateOptions(jobData: JobJson): void {
    const { jobId } = this.opts;
    this.opts.jobId = undefined;
    try {
      super.validateOptions(jobData);
    } finally {
      this.opts.jobId = jobId;
    }
  }
}

/** The hand-off queue an intake job was moved to, if it was. */
export function handedToOf(job: Pick<Job, 'returnvalue'>): string | undefined {
  const handedTo = (job.returnvalue as Partial<HandedOff> | null | undefined)?.handedTo;
  return typeof handedTo === 'string' && handedTo.startsWith(HANDOFF_QUEUE_PREFIX) ? handedTo : undefined;
}
