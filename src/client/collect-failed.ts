import { Job, type Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import { dedupeTargets, parseTimJob, type TimJob } from '../providers/tim/schema.js';
import { parseGeweJob, type GeweJob } from '../providers/gewe/schema.js';
import { requestJobIds } from './request-identity.js';
import { finalOutcomes } from '../queue/final-outcomes.js';

/** A request's failed targets, each with the data its job gave it (addSource, remark, v4...). */
export interface FailedWork {
  /** Each TIM job that had failed targets, narrowed to them. */
  tim: TimJob[];
  /** Each GeWe job whose target failed. */
  gewe: GeweJob[];
}

/**
 * Finds the targets whose final result is `failed`, job by job: the job's state hash says which
 * (src/queue/final-outcomes.ts), and the job itself, read back from `friend-add`, gives their
 * data. A job already removed from the queue (older than REQUEST_TTL_HOURS) cannot be rebuilt and is skipped.
 */
export async function collectFailed(redis: RedisClient, input: Queue, started: Readonly<Record<string, string>>): Promise<FailedWork> {
  const work: FailedWork = { tim: [], gewe: [] };
  for (const jobId of requestJobIds({}, Object.keys(started))) {
    const job = await Job.fromId(input, jobId);
    if (!job) continue;
    const stateKey = started[jobId]!;
    if (job.name === 'tim') {
      const parsed = parseTimJob(job.data);
      if (!parsed.ok) continue;
      const targets = dedupeTargets(parsed.job.targets);
      const failed = await failedAmong(
        redis,
        stateKey,
        targets.map((t) => t.toAccount),
      );
      const kept = targets.filter((t) => failed.has(t.toAccount));
      if (kept.length > 0) work.tim.push({ ...parsed.job, targets: kept });
    } else if (job.name === 'gewe') {
      const parsed = parseGeweJob(job.data);
      if (parsed.ok && (await failedAmong(redis, stateKey, [parsed.job.v3])).size > 0) work.gewe.push(parsed.job);
    }
  }
  return work;
}

async function failedAmong(redis: RedisClient, stateKey: string, targets: readonly string[]): Promise<Set<string>> {
  if (targets.length === 0) return new Set();
  // A job's state keeps each final target's outcome (record-results.lua, final-outcomes.ts).
  const outcomes = finalOutcomes(await redis.hgetall(stateKey));
  return new Set(targets.filter((t) => outcomes.get(t) === 'failed'));
}
