import { afterAll, beforeAll } from 'vitest';
import { Keys } from '../../src/lib/keys.js';
import type { RedisClient } from '../../src/lib/redis-client.js';
import { connectRedis, deletePrefix, testPrefix } from './redis.js';

export interface RedisPrefix {
  readonly prefix: string;
  readonly keys: Keys;
  /** Connected in beforeAll; disconnected, and the prefix deleted, in afterAll. */
  redis: RedisClient;
}

/** A describe block's own key prefix on the real Redis, cleaned up after it. */
export function useRedisPrefix(label: string): RedisPrefix {
  const prefix = testPrefix(label);
  const ctx = { prefix, keys: new Keys(prefix) } as RedisPrefix;
  beforeAll(() => {
    ctx.redis = connectRedis();
  });
  afterAll(async () => {
    await deletePrefix(ctx.redis, prefix);
    ctx.redis.disconnect();
  });
  return ctx;
}
