import { UnrecoverableError } from 'bullmq';
import type { JobStore } from '../queue/job-store.js';
import type { ResultPublisher } from '../queue/result-publisher.js';
import type { JobRef } from '../queue/job-ref.js';
import { finalsFor } from './settle-targets.js';

export interface InvalidJob {
  field: string;
  message: string;
  knownTargets: readonly string[];
}

/**
 * A job that breaks the contract's shape: every target it names gets `refused`/`invalid_input`,
 * then the job fails at once, without retries, with an error that names the field.
 */
export async function rejectInvalidJob(
  ref: JobRef,
  invalid: InvalidJob,
  store: JobStore,
  publisher: ResultPublisher,
): Promise<never> {
  const reason = `invalid job: ${invalid.field}: ${invalid.message}`;
  if (invalid.knownTargets.length > 0) {
    await store.init(ref, invalid.knownTargets.length);
    await store.record(ref, finalsFor(invalid.knownTargets, 'refused', 'invalid_input', reason, new Map()));
    await publisher.flush(ref);
  }
  throw new UnrecoverableError(reason);
}
