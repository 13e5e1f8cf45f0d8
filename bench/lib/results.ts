import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { INPUT_QUEUE, RESULTS_QUEUE } from '../../src/queue/names.js';
import type { ResultBatch } from '../../src/domain/types.js';
import { sleep } from './log.js';

const STATES = ['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed'] as const;
const PAGE = 100;

export interface ResultsSeen {
  /** Result jobs (batches) on friend-add-results. */
  batches: number;
  /** Target results across them. */
  results: number;
  /** Results by outcome. */
  outcomes: Record<string, number>;
  /** When the first and last batch were added (the workers' clocks, epoch ms). */
  firstWrittenAt: number;
  lastWrittenAt: number;
}

/**
 * Reads friend-add-results as a consumer would find it (nobody consumes it in the bench), page by
 * page, and hands every target result to `visit`.
 */
export async function readResults(redis: Redis, prefix: string, visit?: (target: string, batch: ResultBatch) => void): Promise<ResultsSeen> {
  const queue = new Queue(RESULTS_QUEUE, { connection: redis, prefix });
  const seen: ResultsSeen = { batches: 0, results: 0, outcomes: {}, firstWrittenAt: Infinity, lastWrittenAt: 0 };
  try {
    for (const state of STATES) {
      for (let start = 0; ; start += PAGE) {
        const jobs: Job[] = await queue.getJobs([state], start, start + PAGE - 1, true);
        for (const job of jobs) tally(seen, job, visit);
        if (jobs.length < PAGE) break;
      }
    }
  } finally {
    await queue.close();
  }
  return seen;
}

function tally(seen: ResultsSeen, job: Job, visit?: (target: string, batch: ResultBatch) => void): void {
  const batch = job.data as ResultBatch;
  seen.batches += 1;
  seen.firstWrittenAt = Math.min(seen.firstWrittenAt, job.timestamp);
  seen.lastWrittenAt = Math.max(seen.lastWrittenAt, job.timestamp);
  for (const r of batch.results) {
    seen.results += 1;
    seen.outcomes[r.outcome] = (seen.outcomes[r.outcome] ?? 0) + 1;
    visit?.(r.target, batch);
  }
}

/**
 * Waits until `count` input jobs completed (or failed), or until `deadlineMs` has passed: a run
 * that cannot finish in time is reported for what it did (`finished: false`), not thrown away.
 */
export async function waitForInputDone(
  redis: Redis,
  prefix: string,
  count: number,
  deadlineMs: number,
): Promise<{ completed: number; failed: number; finished: boolean }> {
  const queue = new Queue(INPUT_QUEUE, { connection: redis, prefix });
  const until = Date.now() + deadlineMs;
  try {
    for (;;) {
      const c = await queue.getJobCounts('completed', 'failed');
      const counts = { completed: c.completed ?? 0, failed: c.failed ?? 0 };
      const finished = counts.completed + counts.failed >= count;
      if (finished || Date.now() > until) return { ...counts, finished };
      await sleep(250);
    }
  } finally {
    await queue.close();
  }
}

/**
 * How many times, on average, a completed input job was taken by a worker (BullMQ's `ats`, counted
 * on every move to active): 1 is one pass per job; more means waits (a busy account, a GeWe slot)
 * that sent the job back to delayed and had it taken again.
 */
export async function passesPerJob(redis: Redis, prefix: string): Promise<number> {
  const ids = await redis.zrange(`${prefix}:${INPUT_QUEUE}:completed`, '0', '-1');
  if (ids.length === 0) return 0;
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hget(`${prefix}:${INPUT_QUEUE}:${id}`, 'ats');
  const replies = (await pipeline.exec()) ?? [];
  return replies.reduce<number>((sum, [, ats]) => sum + Number(ats ?? 0), 0) / ids.length;
}
