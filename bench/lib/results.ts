import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { INPUT_QUEUE, RESULTS_QUEUE } from '../../src/queue/names.js';
import type { ResultBatch } from '../../src/domain/types.js';
import { sleep } from './log.js';

/** friend-add-results' job lists, by how BullMQ keeps each: lists, and sorted sets. */
const LISTS = ['wait', 'paused', 'active'] as const;
const SORTED_SETS = ['prioritized', 'delayed', 'completed', 'failed'] as const;
const CHUNK = 200;

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
 * Reads friend-add-results as a consumer would find it (nobody consumes it in the bench): every
 * job in each of its states, and every target result in them, handed to `visit`. Each job's
 * data and timestamp are read straight from its hash, a chunk at a time, and parsed once:
 * BullMQ's getJobs made a Job of each (every field read and parsed), ~5 µs a target, 20 s of
 * the full soak's 4.6M (docs/benchmarks.md, thirteenth sitting).
 */
export async function readResults(redis: Redis, prefix: string, visit?: (target: string, batch: ResultBatch) => void): Promise<ResultsSeen> {
  const base = `${prefix}:${RESULTS_QUEUE}`;
  const seen: ResultsSeen = { batches: 0, results: 0, outcomes: {}, firstWrittenAt: Infinity, lastWrittenAt: 0 };
  const ids = new Set<string>();
  for (const list of LISTS) for (const id of await redis.lrange(`${base}:${list}`, 0, -1)) ids.add(id);
  for (const set of SORTED_SETS) for (const id of await redis.zrange(`${base}:${set}`, '0', '-1')) ids.add(id);
  const all = [...ids];
  for (let i = 0; i < all.length; i += CHUNK) {
    const pipeline = redis.pipeline();
    for (const id of all.slice(i, i + CHUNK)) pipeline.hmget(`${base}:${id}`, 'data', 'timestamp');
    for (const [err, reply] of (await pipeline.exec()) ?? []) {
      if (err) throw err;
      const [data, timestamp] = reply as [string | null, string | null];
      // Removed between the listing and the read (a consumer's removeOnComplete): not there to count.
      if (data !== null) tally(seen, JSON.parse(data) as ResultBatch, Number(timestamp), visit);
    }
  }
  return seen;
}

function tally(seen: ResultsSeen, batch: ResultBatch, timestamp: number, visit?: (target: string, batch: ResultBatch) => void): void {
  seen.batches += 1;
  seen.firstWrittenAt = Math.min(seen.firstWrittenAt, timestamp);
  seen.lastWrittenAt = Math.max(seen.lastWrittenAt, timestamp);
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
