import { UnrecoverableError, type Job } from 'bullmq';
import type { ProviderName } from '../domain/types.js';
import type { JobRef } from '../queue/job-ref.js';
import { stateIdOf } from '../queue/job-ref.js';
import { secrets } from '../lib/secrets.js';
import type { ProcessorDeps } from './processor-deps.js';
import { finalsFor } from './settle-targets.js';

/** What a job names, for giving up on it: its ref and every target it has. */
export interface JobTargets {
  ref: JobRef;
  targets: readonly string[];
}

/**
 * Unexpected errors of one job (a bug, a Redis outage) in a row, and what ends them. Without a
 * bound, a bug that throws after a call was sent would send that call again forever.
 */
export interface ErrorBudget {
  provider: ProviderName;
  maxInARow: number;
  /** Counts one more error in the job's state; resolves the errors in a row. */
  count(job: Job): Promise<number>;
  /** Ends the job's open targets `failed` / `internal_error` and fails the job. */
  giveUp(job: Job, token: string | undefined, err: unknown, errors: number): Promise<never>;
}

export function createErrorBudget(
  provider: ProviderName,
  deps: ProcessorDeps,
  targetsOf: (job: Job, token: string | undefined) => JobTargets | undefined,
): ErrorBudget {
  return {
    provider,
    maxInARow: deps.config.maxAttempts,
    count: (job) => {
      deps.observer.internalError(provider, false);
      return deps.store.countError(stateIdOf(job));
    },
    async giveUp(job, token, err, errors) {
      const named = targetsOf(job, token);
      const info = `internal error ${errors} times in a row: ${secrets.scrub(messageOf(err))}`;
      if (named) {
        const { ref, targets } = named;
        const { snapshot } = await deps.store.init(ref, targets.length);
        const open = targets.filter((t) => !snapshot.finals.has(t));
        await deps.store.record(ref, finalsFor(open, 'failed', 'internal_error', info, snapshot.attempts));
        await deps.publisher.flush(ref);
      }
      deps.observer.internalError(provider, true);
      deps.logger.error({ jobId: job.id, provider, errors }, `${info}; the job's open targets end failed/internal_error`);
      throw new UnrecoverableError(info);
    },
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
