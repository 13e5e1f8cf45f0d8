import { UnrecoverableError, type Job } from 'bullmq';

export type JobProcessor = (job: Job, token?: string) => Promise<unknown>;

/** Routes an input job by its name (`tim` or `gewe`); any other name fails at once. */
export function dispatchByName(processors: Record<string, JobProcessor>): JobProcessor {
  return async (job, token) => {
    const processor = Object.hasOwn(processors, job.name) ? processors[job.name] : undefined;
    if (!processor) {
      throw new UnrecoverableError(`invalid job: name: expected one of ${Object.keys(processors).join(', ')}, got "${job.name}"`);
    }
    return processor(job, token);
  };
}

/**
 * Sends a job this worker cannot serve (by `canServe`) to `unserved`, which hands it back for
 * another worker or refuses it; `unserved` resolving undefined lets `served` say what is wrong.
 */
export function routeByService(served: JobProcessor, unserved: JobProcessor, canServe: (job: Job) => boolean): JobProcessor {
  return async (job, token) => {
    if (canServe(job)) return served(job, token);
    const handled = await unserved(job, token);
    return handled === undefined ? served(job, token) : handled;
  };
}
