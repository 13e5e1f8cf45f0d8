import type { Queue } from 'bullmq';
import { contentHash, jobIdAt, jobIdStem } from './request-identity.js';
import { inputError, RequestConflictError } from './errors.js';
import type { PreparedRequest } from './prepared-request.js';
import type { RequestMarker } from './request-marker.js';

/** BullMQ's addBulk is one pipeline, not a transaction: we add at most this many jobs per call. */
export const JOBS_PER_BULK = 1000;

/** The lowest priority BullMQ accepts (1 is the most urgent; 0 or none: no priority). */
export const MAX_PRIORITY = 2 ** 21 - 1;

export interface SubmitOptions {
  /**
   * BullMQ job priority, 1 (most urgent) to 2,097,151; 0 is none. BullMQ takes jobs without a priority
   * before all prioritized ones, so give a campaign a large number to let small requests pass it.
   */
  priority?: number;
}

export interface SubmitResult {
  requestId: string;
  /** Jobs the request was cut into (the same number when a submit is repeated). */
  jobs: number;
  /** Distinct targets across the request. */
  targets: number;
}

/** For tests of a crash halfway: how many jobs per addBulk, and how many addBulk calls to make. */
export interface SubmitTuning {
  jobsPerBulk?: number;
  stopAfterBulks?: number;
}

export interface SubmitDeps {
  input: Queue;
  marker: RequestMarker;
}

/**
 * Puts a validated request on `friend-add`, idempotently by requestId: mark it, add every job
 * with its deterministic id in bulks, then note it submitted. A repeat of a submitted request
 * adds nothing; a repeat after a crash halfway adds every job again, and BullMQ ignores the ids
 * it already has; other content under the same requestId is refused.
 */
export async function submitRequest(
  deps: SubmitDeps,
  prepared: PreparedRequest,
  options: SubmitOptions = {},
  tuning: SubmitTuning = {},
): Promise<SubmitResult> {
  checkPriority(options.priority);
  const result = { requestId: prepared.requestId, jobs: prepared.jobs.length, targets: prepared.targets };
  const stem = jobIdStem(prepared.provider, prepared.requestId);
  const hash = contentHash(prepared);
  const mark = await deps.marker.mark(prepared, hash, stem);
  if (mark.state === 'conflict') {
    throw new RequestConflictError(`request ${prepared.requestId} was already submitted with other content`, prepared.requestId);
  }
  if (mark.state === 'foreign') {
    throw new RequestConflictError(`request ${prepared.requestId} is already used by jobs added to the queue directly`, prepared.requestId);
  }
  if (mark.submitted) return result;
  const perBulk = tuning.jobsPerBulk ?? JOBS_PER_BULK;
  const priority = options.priority ? { priority: options.priority } : {};
  let bulks = 0;
  for (let start = 0; start < prepared.jobs.length; start += perBulk) {
    if (tuning.stopAfterBulks !== undefined && bulks === tuning.stopAfterBulks) return result;
    const bulk = prepared.jobs.slice(start, start + perBulk).map((data, i) => ({
      name: prepared.provider,
      data,
      opts: { jobId: jobIdAt(stem, start + i), ...priority },
    }));
    await deps.input.addBulk(bulk);
    bulks += 1;
  }
  await deps.marker.markSubmitted(prepared.requestId, hash);
  return result;
}

function checkPriority(priority: number | undefined): void {
  if (priority === undefined) return;
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
    throw inputError(['priority'], `priority must be an integer from 0 (none) to ${MAX_PRIORITY}`);
  }
}
