import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../../src/lib/redis-client.js';
import { createRedis, isClusterUrl } from '../../src/lib/redis.js';

/** The Redis the tests talk to: a real one. Never flushed: tests delete only their own prefix. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh key prefix per test file run, so runs never see each other's keys. */
export function testPrefix(label = 't'): string {
  return `fatest-${label}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** A connection to one Redis, or to a Redis Cluster when `url` lists several nodes. */
export function connectRedis(url = TEST_REDIS_URL): RedisClient {
  if (isClusterUrl(url)) return createRedis(url);
  return new Redis(url, { maxRetriesPerRequest: null, protocol: 2 } as never);
}

/** Deletes every key under the prefix (SCAN + UNLINK), and nothing else; on a cluster, on every master. */
export async function deletePrefix(redis: RedisClient, prefix: string): Promise<number> {
  if (!(redis instanceof Cluster)) return deleteOnNode(redis, prefix);
  const counts = await Promise.all(redis.nodes('master').map((node) => deleteOnNode(node, prefix)));
  return counts.reduce((a, b) => a + b, 0);
}

async function deleteOnNode(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    // One key per UNLINK: a cluster node refuses a command whose keys span slots.
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.unlink(key);
    const replies = keys.length ? ((await pipeline.exec()) ?? []) : [];
    for (const [, n] of replies) deleted += Number(n ?? 0);
  } while (cursor !== '0');
  return deleted;
}
