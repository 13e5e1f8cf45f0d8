import { Job, type Queue } from 'bullmq';

/**
 * Wakes a delayed input job early: the account it waits for was just released. Best effort: a
 * job that already woke, ended or vanished is fine to miss (it reports false).
 */
export class JobWaker {
  constructor(private readonly input: Queue) {}

  async wake(jobId: string): Promise<boolean> {
    return (await this.wakeOrTell(jobId)) === 'woken';
  }

  /** Like wake, but tells a job that is gone (ended and removed) from one that is just not waiting. */
  async wakeOrTell(jobId: string): Promise<'woken' | 'not-delayed' | 'gone'> {
    try {
      const job = await Job.fromId(this.input, jobId);
      if (!job) return 'gone';
      await job.promote();
      return 'woken';
    } catch {
      return 'not-delayed';
    }
  }
}
