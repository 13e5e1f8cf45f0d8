import type { RedisClient } from '../lib/redis-client.js';
import type { LastAnswer } from '../queue/job-store.js';
import { finalOutcomes } from '../queue/final-outcomes.js';

/** An open target that has been called: what support needs to see. */
export interface PendingTarget {
  target: string;
  /** Calls that answered for it so far. */
  attempts: number;
  code: LastAnswer['code'];
  info: string;
  /** TIM's RequestId of the last call, to quote to Tencent. */
  providerRequestId?: string;
}

/**
 * Reads the open targets that have a last answer (`l:<target>`, with `a:<target>`) from the
 * jobs' state hashes, skipping those that are final by now, up to `limit`. Targets never called
 * yet have no entry: they count in `open` but are not listed.
 */
export async function readPendingTargets(redis: RedisClient, stateKeys: readonly string[], limit: number): Promise<PendingTarget[]> {
  const pending: PendingTarget[] = [];
  for (const key of stateKeys) {
    if (pending.length >= limit) break;
    const hash = await scanHash(redis, key);
    const finals = finalOutcomes(hash);
    for (const field in hash) {
      if (pending.length >= limit) break;
      if (!field.startsWith('l:')) continue;
      const target = field.slice(2);
      if (finals.has(target)) continue;
      const last = JSON.parse(hash[field]!) as LastAnswer;
      const entry: PendingTarget = { target, attempts: Number(hash[`a:${target}`] ?? 0), code: last.code, info: last.info };
      if (last.providerRequestId) entry.providerRequestId = last.providerRequestId;
      pending.push(entry);
    }
  }
  return pending;
}

/** A job's state hash, read in pages: it holds a few fields per called target. */
async function scanHash(redis: RedisClient, key: string): Promise<Record<string, string>> {
  const hash: Record<string, string> = {};
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(key, cursor, 'COUNT', 1000);
    for (let i = 0; i < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
    cursor = next;
  } while (cursor !== '0');
  return hash;
}
