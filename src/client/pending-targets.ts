import type { RedisClient } from '../lib/redis-client.js';
import type { LastAnswer } from '../queue/job-store.js';

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
    const lasts = await scanLastAnswers(redis, key);
    if (lasts.size === 0) continue;
    const targets = [...lasts.keys()];
    const fields = targets.flatMap((t) => [`a:${t}`, `f:${t}`]);
    const values = await redis.hmget(key, ...fields);
    targets.forEach((target, i) => {
      if (pending.length >= limit || values[2 * i + 1] !== null) return;
      const last = JSON.parse(lasts.get(target)!) as LastAnswer;
      const entry: PendingTarget = { target, attempts: Number(values[2 * i] ?? 0), code: last.code, info: last.info };
      if (last.providerRequestId) entry.providerRequestId = last.providerRequestId;
      pending.push(entry);
    });
  }
  return pending;
}

async function scanLastAnswers(redis: RedisClient, key: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(key, cursor, 'MATCH', 'l:*', 'COUNT', 1000);
    for (let i = 0; i < flat.length; i += 2) found.set(flat[i]!.slice(2), flat[i + 1]!);
    cursor = next;
  } while (cursor !== '0');
  return found;
}
