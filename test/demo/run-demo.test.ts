import { describe, expect, it } from 'vitest';
import { configWith } from '../../src/config/load.js';
import { runDemo } from '../../src/demo/run-demo.js';
import type { Redis } from 'ioredis';
import { connectRedis, TEST_REDIS_URL, testPrefix } from '../helpers/redis.js';

describe('npm run demo', () => {
  it('carries 2,500 TIM targets in calls of 1000, 1000 and 500 and the GeWe adds, then names the dashboard', async () => {
    const lines: string[] = [];
    const prefix = testPrefix('demo');
    const base = configWith({ REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, API_PORT: 0 });
    const code = await runDemo(base, { out: (line) => lines.push(line) });
    const text = lines.join('\n');
    expect(code).toBe(0);
    expect(text).toMatch(/TIM calls as the simulator saw them: 1000, 1000, 500/);
    expect(text).toMatch(/progress: 2508\/2508 results/);
    expect(text).toMatch(/GeWe wx_demo_new: 4 calls/);
    expect(text).toMatch(/dashboard: http:\/\/127\.0\.0\.1:\d+\/admin\/queues/);
    // The callbacks close the loop: every requested target confirmed, the incoming request accepted.
    expect(text).toMatch(/requested (\d+) → confirmed \1\b/);
    expect(text).toMatch(/auto-accept auto-accept-\w+: added/);
    // It leaves nothing behind in the shared Redis.
    const redis = connectRedis() as Redis;
    const left: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 10_000);
      left.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    expect(left).toEqual([]);
  });
});
