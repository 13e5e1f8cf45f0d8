import type { Job } from 'bullmq';
import { writeOnCompletion } from '../queue/completion-fields.js';

/**
 * Keeps `job.progress` at {final, total, progress}: a job that waits (delayed) shows in the
 * dashboard how far it has come (bull-board draws `progress`, a percentage, as a ring). Written
 * only when it changed, so a waiting job costs no extra Redis write. Every target final: the job
 * is about to complete, and its worker writes the progress in the step that completes it
 * (writeOnCompletion), not in a round trip of its own.
 */
export async function showProgress(job: Job, final: number, total: number): Promise<void> {
  const progress = job.progress as { final?: number; total?: number } | number | null | undefined;
  const shown = typeof progress === 'object' && progress !== null ? progress : undefined;
  // Nothing final yet and nothing shown yet: BullMQ's initial 0 says as much (a one-call job
  // then writes its progress once, when it is done).
  if (final === 0 && !shown) return;
  if (shown?.final === final && shown.total === total) return;
  const value = { final, total, progress: total === 0 ? 100 : Math.floor((100 * final) / total) };
  if (final === total && writeOnCompletion(job, { progress: JSON.stringify(value) })) {
    job.progress = value;
    return;
  }
  await job.updateProgress(value);
}
