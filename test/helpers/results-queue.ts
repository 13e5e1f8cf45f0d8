import { afterAll, beforeAll } from 'vitest';
import { Queue } from 'bullmq';
import { RESULTS_QUEUE } from '../../src/queue/names.js';
import { useRedisPrefix, type RedisPrefix } from './redis-prefix.js';

export interface ResultsQueuePrefix extends RedisPrefix {
  /** `friend-add-results` under the prefix, opened in beforeAll and closed in afterAll. */
  results: Queue;
}

/**
 * A describe block's own key prefix on the real Redis (useRedisPrefix) with its results queue.
 * Vitest runs afterAll hooks last-registered first, so the queue closes before the prefix goes.
 */
export function useResultsQueue(label: string): ResultsQueuePrefix {
  const ctx = useRedisPrefix(label) as ResultsQueuePrefix;
  beforeAll(() => {
    ctx.results = new Queue(RESULTS_QUEUE, { connection: ctx.redis, prefix: ctx.prefix });
  });
  afterAll(async () => {
    await ctx.results.close();
  });
  return ctx;
}
