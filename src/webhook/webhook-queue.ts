import type { JobsOptions, Queue } from 'bullmq';
import type { ResultBatch } from '../domain/types.js';
import type { PublishListener } from '../queue/result-publisher.js';
import type { FriendAddEvent } from '../events/event-types.js';
import { HOUR } from '../lib/time.js';

/** Internal queue, under the same QUEUE_PREFIX: not part of the public contract. */
export const WEBHOOK_QUEUE = 'friend-add-webhook';

/** One delivery: a result batch, named by its result job id on `friend-add-results`, or an event. */
export type WebhookJobData = ResultDelivery | EventDelivery;

export interface ResultDelivery {
  kind?: 'results';
  resultJobId: string;
  batch: ResultBatch;
}

/** An event of `friend-add-events`, named by its event id (also its webhook job id). */
export interface EventDelivery {
  kind: 'event';
  eventId: string;
  event: FriendAddEvent;
}

/**
 * 12 tries, 1 s doubling (the last ~34 min after the first): a receiver down for about an hour
 * still gets everything. Delivered jobs are kept an hour so that a batch published again after a
 * worker crash (same id) is recognised and not sent twice; failed ones a week, for the dashboard.
 */
export const WEBHOOK_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: HOUR / 1000 },
  removeOnFail: { age: (7 * 24 * HOUR) / 1000 },
} as const satisfies JobsOptions;

/**
 * The result publisher's listener: enqueue only, one Redis write, so a slow or dead receiver never
 * slows the pipeline. The job id is the result job id, so enqueueing twice adds one job.
 */
export function enqueueWebhookListener(queue: Queue, options: JobsOptions = WEBHOOK_JOB_OPTIONS): PublishListener {
  return async (batch, resultJobId) => {
    const data: ResultDelivery = { resultJobId, batch };
    await queue.add(batch.provider, data, { ...options, jobId: resultJobId });
  };
}
