import type { Job } from 'bullmq';

/**
 * Keeps `job.progress` at {final, total}: a job that waits (delayed) shows in the dashboard how
 * far it has come. Written only when it changed, so a waiting job costs no extra Redis write.
 */
export async function showProgress(job: Job, final: number, total: number): Promise<void> {
  const shown = job.progress as { final?: number; total?: number } | undefined;
  if (shown?.final === final && shown.total === total) return;
  await job.updateProgress({ final, total });
}
