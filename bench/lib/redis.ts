import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The real Redis every scenario uses; never flushed: each scenario deletes its own prefix only. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** RESP2, as BullMQ's scripts expect; no retry limit, as BullMQ's blocking calls need. */
export function connectRedis(url = REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, protocol: 2 } as never);
}

/** A fresh QUEUE_PREFIX per scenario run (no colons: the contract forbids them). */
export function benchPrefix(label: string): string {
  return `fabench-${label}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Deletes every key under `prefix:` (SCAN + UNLINK) and nothing else. */
export function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  return deleteMatching(redis, `${prefix}:*`);
}

/** Deletes every key matching a SCAN pattern. */
export async function deleteMatching(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 2000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

export async function redisVersion(redis: Redis): Promise<string> {
  const info = await redis.info('server');
  return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
}
