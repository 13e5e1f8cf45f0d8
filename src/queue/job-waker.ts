import { Job, type Queue } from 'bullmq';

/**
 * Wakes a delayed input job early: the account it waits for was just released. Best effort: a
 * job that already woke, ended or vanished is fine to miss (it reports false).
 */
export class JobWaker {
  constructor(private readonly input: Queue) {}

  async wake(jobId: string): Promise<boolean> {
    try {
      const job = await Job.fromId(this.input, jobId);
      if (!job) return false;
      await job.promote();
      return true;
    } catch {
      return false;
    }
  }
}
