import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { createRedis, warnUnlessNoEviction } from '../../src/lib/redis.js';
import { PrivateRedis } from '../helpers/private-redis.js';

describe('Redis eviction policy check', () => {
  let server: PrivateRedis;

  beforeAll(async () => {
    server = await PrivateRedis.start();
  });
  afterAll(async () => {
    await server.destroy();
  });

  async function logsOf(policy: string): Promise<string> {
    const redis = createRedis(server.url);
    await redis.config('SET', 'maxmemory-policy', policy);
    let out = '';
    const logger = createLogger({
      destination: new Writable({
        write: (c, _e, done) => {
          out += c.toString();
          done();
        },
      }),
    });
    await warnUnlessNoEviction(redis, logger);
    redis.disconnect();
    return out;
  }

  it('warns when Redis may evict keys', async () => {
    expect(await logsOf('allkeys-lru')).toMatch(/maxmemory-policy is not noeviction/);
  });

  it('says nothing under noeviction', async () => {
    expect(await logsOf('noeviction')).toBe('');
  });
});
