import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LuaScript } from '../../src/lib/lua-script.js';
import type { RedisClient } from '../../src/lib/redis-client.js';
import { connectForState } from '../../src/lib/state-connection.js';
import { sendCommand } from '../../src/lib/turn-pipeline.js';
import { captureLogs } from '../helpers/log-sink.js';
import { deletePrefix, TEST_REDIS_URL, testPrefix } from '../helpers/redis.js';

/** Counts the writes to the connection's socket from now on. */
function countWrites(redis: Redis): { count: () => number } {
  let count = 0;
  const stream = redis.stream;
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((...args: unknown[]) => {
    count += 1;
    return write(...args);
  }) as typeof stream.write;
  return { count: () => count };
}

describe('a state connection that pipelines each turn', () => {
  const prefix = testPrefix('turn');
  let redis: RedisClient;

  beforeAll(async () => {
    redis = await connectForState(TEST_REDIS_URL, captureLogs().logger, { pipelineEachTurn: true });
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  // TEST_REDIS_URL is one Redis; on a cluster the worker keeps a command per write
  // (test/cluster/cluster.test.ts runs a worker there).
  it('sends a turn’s commands in one write, and hands each its own reply or error', async () => {
    const writes = countWrites(redis as Redis);
    const key = `${prefix}:counter`;
    const replies = await Promise.allSettled([
      sendCommand(redis, 'incrby', [key, 2]),
      sendCommand(redis, 'hget', [key, 'field']), // a string key: WRONGTYPE, for this command alone
      sendCommand(redis, 'incrby', [key, 3]),
      sendCommand(redis, 'get', [key]),
    ]);
    expect(replies.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))).toEqual([2, expect.stringMatching(/WRONGTYPE/), 5, '5']);
    expect(writes.count()).toBe(1);
  });

  it('runs a script Redis has not cached (EVAL after NOSCRIPT) beside others in its turn', async () => {
    // Text of its own, so that no earlier run cached it.
    const script = new LuaScript({ source: `-- ${randomBytes(8).toString('hex')}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])` });
    const key = `${prefix}:scripted`;
    const [first, plain, second] = await Promise.all([script.run(redis, [key], [4]), sendCommand(redis, 'incrby', [key, 10]), script.run(redis, [key], [1])]);
    expect(Number(first) + Number(second) + Number(plain)).toBeGreaterThan(0);
    expect(await redis.get(key)).toBe('15');
  });

  it('fails a command issued while the connection is down at once, and never sends it after', async () => {
    const key = `${prefix}:while-down`;
    const back = once(redis, 'ready');
    (redis as Redis | Cluster).disconnect(true);
    const issued = sendCommand(redis, 'set', [key, 'late']);
    await expect(issued).rejects.toThrow(/enableOfflineQueue|Connection is closed|writeable/);
    await back;
    // One more round trip on the new connection: anything left over would have gone before it.
    expect(await sendCommand(redis, 'get', [key])).toBeNull();
  });
});
