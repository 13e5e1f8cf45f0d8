import { Job, type Queue } from 'bullmq';
import { handedToOf, type HandoffQueues } from './handoff-queues.js';

/**
 * Wakes a delayed input job early: the account it waits for was just released. Best effort: a
 * job that already woke, ended or vanished is fine to miss (it reports false). A job handed off
 * to its service's queue (src/queue/handoff-queues.ts) is woken there.
 */
export class JobWaker {
  constructor(
    private readonly input: Queue,
    private readonly handoffs?: HandoffQueues,
  ) {}

  async wake(jobId: string): Promise<boolean> {
    return (await this.wakeOrTell(jobId)) === 'woken';
  }

  /** Like wake, but tells a job that is gone (ended and removed) from one that is just not waiting. */
  async wakeOrTell(jobId: string): Promise<'woken' | 'not-delayed' | 'gone'> {
    try {
      const job = await this.find(jobId);
      if (!job) return 'gone';
      await job.promote();
      return 'woken';
    } catch {
      return 'not-delayed';
    }
  }

  private async find(jobId: string): Promise<Job | undefined> {
    const job = await Job.fromId(this.input, jobId);
    const handedTo = job && this.handoffs ? handedToOf(job) : undefined;
    return handedTo ? Job.fromId(this.handoffs!.named(handedTo), jobId) : job;
  }
}
