import type { ProviderName } from '../domain/types.js';
import { INPUT_QUEUE } from './names.js';

/** Names one input job's state in Redis and in its results. */
export interface JobRef {
  /**
   * The job id and its creation time: a job id re-used after removal is a new job, with fresh
   * state. Also the stem of its result job ids.
   */
  stateId: string;
  /** The BullMQ job id, to find or wake the job. */
  jobId: string;
  /**
   * The BullMQ queue the job is in now: the intake, or the hand-off queue of its service
   * (src/queue/handoff-queues.ts). Its lock is there. Default: the intake.
   */
  queue?: string;
  /**
   * The worker's lock token for the job. When set, state writes happen only while the job's
   * BullMQ lock still holds this token: a worker that lost its job (stalled and taken over, or
   * lost with Redis's last second) cannot write results for it.
   */
  lockToken?: string;
  requestId: string;
  provider: ProviderName;
  account: string;
}

/** BullMQ job ids may not contain `:`; ours are `<jobId>-<timestamp>`. */
export function stateIdOf(job: { id?: string; timestamp: number }): string {
  return `${job.id ?? 'unknown'}-${job.timestamp}`;
}

/** The ref of a job, from what its data names (or could be salvaged from it). */
export function jobRefOf(
  job: { id?: string; timestamp: number; queueName?: string },
  provider: ProviderName,
  names: { requestId?: string; account?: string },
  lockToken?: string,
): JobRef {
  const jobId = String(job.id);
  const ref: JobRef = { stateId: stateIdOf(job), jobId, requestId: names.requestId ?? jobId, provider, account: names.account ?? '' };
  if (job.queueName && job.queueName !== INPUT_QUEUE) ref.queue = job.queueName;
  return lockToken ? { ...ref, lockToken } : ref;
}
