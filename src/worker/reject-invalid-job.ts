import { UnrecoverableError } from 'bullmq';
import type { JobStore } from '../queue/job-store.js';
import type { ResultPublisher } from '../queue/result-publisher.js';
import type { JobRef } from '../queue/job-ref.js';
import { finalsFor } from './settle-targets.js';

export interface InvalidJob {
  field: string;
  message: string;
  knownTargets: readonly string[];
  /** The results' code: `invalid_input` (the default), or `provider_disabled`. */
  code?: 'invalid_input' | 'provider_disabled';
}

/**
 * A job that breaks the contract's shape, or asks for a provider the deployment does not serve:
 * every target it names gets `refused` with the code, then the job fails at once, without
 * retries, with an error that names the field.
 */
export async function rejectInvalidJob(ref: JobRef, invalid: InvalidJob, store: JobStore, publisher: ResultPublisher): Promise<never> {
  const reason = invalid.code === 'provider_disabled' ? invalid.message : `invalid job: ${invalid.field}: ${invalid.message}`;
  // A target named twice is one target: counting it twice would leave the request open forever.
  const targets = [...new Set(invalid.knownTargets)];
  if (targets.length > 0) {
    await store.init(ref, targets.length);
    await store.record(ref, finalsFor(targets, 'refused', invalid.code ?? 'invalid_input', reason, new Map()));
    await publisher.flush(ref);
  }
  throw new UnrecoverableError(reason);
}
