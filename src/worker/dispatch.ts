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
