import type { ProviderName } from '../domain/types.js';

/** Names one input job's state in Redis and in its results. */
export interface JobRef {
  /**
   * The job id and its creation time: a job id re-used after removal is a new job, with fresh
   * state. Also the stem of its result job ids.
   */
  stateId: string;
  /** The BullMQ job id, to find or wake the job. */
  jobId: string;
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
  job: { id?: string; timestamp: number },
  provider: ProviderName,
  names: { requestId?: string; account?: string },
): JobRef {
  const jobId = String(job.id);
  return { stateId: stateIdOf(job), jobId, requestId: names.requestId ?? jobId, provider, account: names.account ?? '' };
}
