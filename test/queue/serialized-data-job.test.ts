import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { addSerialized } from '../../src/queue/serialized-data-job.js';
import type { RedisClient } from '../../src/lib/redis-client.js';
import { connectRedis, deletePrefix, testPrefix } from '../helpers/redis.js';

describe('adding a job whose data is serialised already', () => {
  let redis: RedisClient;
  let queue: Queue;
  const prefix = testPrefix('serialized');

  beforeAll(() => {
    redis = connectRedis();
    queue = new Queue('serialized-data', { connection: redis, prefix, defaultJobOptions: { attempts: 3 } });
  });
  afterAll(async () => {
    await queue.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('stores the given text as the data, which reads back as the object', async () => {
    const data = { requestId: 'r-1', results: [{ target: 'bob', outcome: 'added', info: 'ü "quoted"' }] };
    const text = JSON.stringify(data);
    const job = await addSerialized(queue, 'tim', data, text, { jobId: 's-1' });
    expect(job.id).toBe('s-1');
    expect(await redis.hget(`${prefix}:serialized-data:s-1`, 'data')).toBe(text);
    const read = await queue.getJob('s-1');
    expect(read?.data).toEqual(data);
    expect(read?.name).toBe('tim');
  });

  it('sends the text it is given rather than serialising the data again', async () => {
    const data = { a: 1 };
    // Not what JSON.stringify gives (spaces): only the caller's text could have put them there.
    await addSerialized(queue, 'tim', data, '{ "a": 1 }', { jobId: 's-2' });
    expect(await redis.hget(`${prefix}:serialized-data:s-2`, 'data')).toBe('{ "a": 1 }');
    expect((await queue.getJob('s-2'))?.data).toEqual(data);
  });

  it("applies the queue's default job options and the caller's, and adds a known id once", async () => {
    const data = { b: 2 };
    await addSerialized(queue, 'gewe', data, JSON.stringify(data), { jobId: 's-3', removeOnComplete: { age: 60 } });
    await addSerialized(queue, 'gewe', { b: 3 }, JSON.stringify({ b: 3 }), { jobId: 's-3' });
    const job = await queue.getJob('s-3');
    expect(job?.opts).toMatchObject({ attempts: 3, removeOnComplete: { age: 60 } });
    expect(job?.data).toEqual({ b: 2 });
  });
});
