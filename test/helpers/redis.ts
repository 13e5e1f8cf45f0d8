import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the tests talk to: a real one. Never flushed: tests delete only their own prefix. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh key prefix per test file run, so runs never see each other's keys. */
export function testPrefix(label = 't'): string {
  return `fatest-${label}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export function connectRedis(url = TEST_REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, protocol: 2 } as never);
}

/** Deletes every key under the prefix (SCAN + UNLINK), and nothing else. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
