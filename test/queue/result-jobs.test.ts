import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue, Worker, type Job } from 'bullmq';
import { JobStore } from '../../src/queue/job-store.js';
import { ResultPublisher } from '../../src/queue/result-publisher.js';
import { RecordedBatches } from '../../src/queue/recorded-batches.js';
import { addSerialized } from '../../src/queue/serialized-data-job.js';
import { readResultPage } from '../../src/queue/request-results.js';
import { RESULTS_QUEUE } from '../../src/queue/names.js';
import { Keys } from '../../src/lib/keys.js';
import type { RedisClient } from '../../src/lib/redis-client.js';
import type { ResultBatch, TargetResult } from '../../src/domain/types.js';
import { connectRedis, deletePrefix, testPrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait-for.js';

const result = (target: string): TargetResult => ({ target, outcome: 'added', code: 0, info: '', attempts: 1, finishedAt: '2026-12-03T00:00:00.000Z' });

/**
 * record-results.lua adds each batch's job to friend-add-results itself, as BullMQ's
 * addStandardJob would (src/queue/result-jobs.ts). These tests hold it to what Queue.add stores,
 * so that a BullMQ upgrade that changes what a job is fails here, not in a consumer.
 */
describe('result jobs added as batches are recorded', () => {
  let redis: RedisClient;
  const prefix = testPrefix('rjobs');
  const keys = new Keys(prefix);
  let results: Queue;
  const ref = (n: number) => ({ stateId: `${n}-1`, jobId: String(n), requestId: `req-${n}`, provider: 'tim' as const, account: 'alice' });
  const parts = () => {
    const batches = new RecordedBatches();
    const publisher = new ResultPublisher(redis, keys, results, 60_000, undefined, batches);
    return { publisher, store: new JobStore(redis, keys, 60_000, batches, publisher.resultJobs) };
  };
  const events = async () => (await redis.xrange(`${prefix}:${RESULTS_QUEUE}:events`, '-', '+')).map(([, f]) => `${f[1]} ${f[3]}`);

  beforeAll(() => {
    redis = connectRedis();
    results = new Queue(RESULTS_QUEUE, { connection: redis, prefix });
  });
  afterAll(async () => {
    await results.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('stores the job as Queue.add does, with its events, wait entry and marker, and publishing adds no second', async () => {
    const { store, publisher } = parts();
    const r = ref(1);
    await store.record(r, [result('bob'), result('carol')]);
    expect(await redis.lrange(`${prefix}:${RESULTS_QUEUE}:wait`, 0, -1)).toEqual(['1-1-1']);
    expect(await redis.zrange(`${prefix}:${RESULTS_QUEUE}:marker`, '0', '-1', 'WITHSCORES')).toEqual(['0', '0']);
    expect(await redis.get(`${prefix}:${RESULTS_QUEUE}:id`)).toBe('1');
    const batch: ResultBatch = { requestId: r.requestId, provider: 'tim', account: 'alice', results: [result('bob'), result('carol')] };
    await addSerialized(results, 'tim', batch, JSON.stringify(batch), publisher.resultJobs.options('by-bullmq'));
    const ours = await redis.hgetall(`${prefix}:${RESULTS_QUEUE}:1-1-1`);
    const theirs = await redis.hgetall(`${prefix}:${RESULTS_QUEUE}:by-bullmq`);
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    expect({ ...ours, timestamp: '', opts: '' }).toEqual({ ...theirs, timestamp: '', opts: '' });
    expect(JSON.parse(ours.opts!)).toEqual({ ...JSON.parse(theirs.opts!), jobId: '1-1-1' });
    expect(Number(ours.timestamp)).toBeGreaterThan(Date.now() - 60_000);
    expect(await redis.lrange(`${prefix}:${RESULTS_QUEUE}:wait`, 0, -1)).toEqual(['by-bullmq', '1-1-1']);
    expect(await redis.get(`${prefix}:${RESULTS_QUEUE}:id`)).toBe('2');
    expect(await redis.hget(`${prefix}:${RESULTS_QUEUE}:meta`, 'opts.maxLenEvents')).toBe('10000');
    const seen: string[] = [];
    publisher.onPublished((b, id) => void seen.push(`${id} ${b.results.length}`));
    expect(await publisher.flush(r)).toBe(1);
    expect(seen).toEqual(['1-1-1 2']);
    expect(await events()).toEqual(['added 1-1-1', 'waiting 1-1-1', 'added by-bullmq', 'waiting by-bullmq']);
    expect(await redis.exists(keys.outbox(r.stateId))).toBe(0);
  });

  it("hands a BullMQ worker the batch, built from parts into one Buffer, as the request's results hold it", async () => {
    const { store } = parts();
    const r = ref(2);
    // ~170 KB, built from four parts; one target not ASCII, so that lengths are bytes.
    const finals = Array.from({ length: 1000 }, (_, i) => result(`${i === 500 ? 'zoë' : 'target'}_${String(i).padStart(4, '0')}_${'x'.repeat(80)}`));
    expect(await store.record(r, finals)).toBe(1000);
    let received: Job | undefined;
    const connection = connectRedis();
    const worker = new Worker(
      RESULTS_QUEUE,
      async (j) => {
        received = j;
      },
      { connection, prefix },
    );
    const job = await waitFor('the result job', () => received, 10_000);
    await worker.close();
    connection.disconnect();
    expect(job.id).toBe('2-1-1');
    expect(job.name).toBe('tim');
    expect(job.data).toEqual({ requestId: r.requestId, provider: 'tim', account: 'alice', results: finals });
    const page = await readResultPage(redis, keys, r.requestId, 0, 1000);
    expect(page.results).toEqual(finals);
    // Recorded again beside finals already there: Redis cuts the new one out of the batch by its bytes.
    const again = [finals[500]!, result('zoë_again'), finals[999]!];
    expect(await store.record(r, again)).toBe(1);
    expect((await readResultPage(redis, keys, r.requestId, 1000, 10)).results).toEqual([result('zoë_again')]);
  });

  it('adds nothing with RESULTS_QUEUE off; a batch read back from the outbox is added once, by the publisher', async () => {
    const { store, publisher } = parts();
    publisher.writeQueue(false);
    const r = ref(3);
    await store.record(r, [result('dave')]);
    expect(await redis.exists(`${prefix}:${RESULTS_QUEUE}:3-1-1`)).toBe(0);
    publisher.writeQueue(true);
    // Another process's publisher: it finds the batch only in the outbox.
    const elsewhere = new ResultPublisher(redis, keys, results, 60_000, undefined, new RecordedBatches());
    expect(await elsewhere.flush(r)).toBe(1);
    expect(JSON.parse((await redis.hget(`${prefix}:${RESULTS_QUEUE}:3-1-1`, 'data'))!).results).toEqual([result('dave')]);
  });

  it('leaves a job of the same id as it is, and reports it duplicated, as BullMQ does', async () => {
    const { store } = parts();
    const r = ref(4);
    const first: ResultBatch = { requestId: r.requestId, provider: 'tim', account: 'alice', results: [result('first')] };
    await results.add('tim', first, { jobId: '4-1-1' });
    await store.record(r, [result('erin')]);
    expect(JSON.parse((await redis.hget(`${prefix}:${RESULTS_QUEUE}:4-1-1`, 'data'))!)).toEqual(first);
    expect((await events()).slice(-1)).toEqual(['duplicated 4-1-1']);
  });

  it('adds no marker while the queue is paused, as BullMQ does', async () => {
    const { store } = parts();
    await results.pause();
    await redis.del(`${prefix}:${RESULTS_QUEUE}:marker`);
    await store.record(ref(5), [result('fay')]);
    await results.add('tim', { results: [] }, { jobId: 'paused-by-bullmq' });
    expect(await redis.exists(`${prefix}:${RESULTS_QUEUE}:marker`)).toBe(0);
    expect(await redis.lrange(`${prefix}:${RESULTS_QUEUE}:wait`, 0, 1)).toEqual(['paused-by-bullmq', '5-1-1']);
    await results.resume();
  });
});
