import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger.js';

/**
 * Opens a Redis connection. `maxRetriesPerRequest: null` is what BullMQ workers need; ioredis
 * reconnects by itself after a restart of Redis.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    // RESP2: BullMQ's scripts expect it; ioredis 6 speaks RESP3 by default.
    protocol: 2,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...options,
  } as RedisOptions);
  return redis;
}

/** Warns when Redis may evict keys: BullMQ and our state need `maxmemory-policy noeviction`. */
export async function warnUnlessNoEviction(redis: Redis, logger: Logger): Promise<void> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    if (policy && policy !== 'noeviction') {
      logger.warn({ policy }, 'Redis maxmemory-policy is not noeviction: queued work can be evicted and lost');
    }
  } catch (err) {
    logger.warn({ err }, 'could not read Redis maxmemory-policy (CONFIG may be disabled); make sure it is noeviction');
  }
}
