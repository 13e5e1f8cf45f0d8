import type { Job, Queue } from 'bullmq';

const EVERY_STATE = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children'] as const;

/** Every job on the queue, in any state. */
export function allJobs(queue: Queue): Promise<Job[]> {
  return queue.getJobs([...EVERY_STATE], 0, -1);
}

/** The jobs of one request on the queue, by their data's requestId. */
export async function jobsOf(queue: Queue, requestId: string): Promise<Job[]> {
  return (await allJobs(queue)).filter((j) => (j.data as { requestId?: string }).requestId === requestId);
}
