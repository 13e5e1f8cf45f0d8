import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { JobStore } from '../../src/queue/job-store.js';
import { ResultPublisher } from '../../src/queue/result-publisher.js';
import { RecordedBatches } from '../../src/queue/recorded-batches.js';
import { RESULTS_QUEUE } from '../../src/queue/names.js';
import { Keys } from '../../src/lib/keys.js';
import type { RedisClient } from '../../src/lib/redis-client.js';
import type { ResultBatch, TargetResult } from '../../src/domain/types.js';
import { connectRedis, deletePrefix, testPrefix } from '../helpers/redis.js';

const result = (target: string, outcome: TargetResult['outcome'] = 'added'): TargetResult => ({
  target,
  outcome,
  code: 0,
  info: '',
  attempts: 1,
  finishedAt: '2026-12-02T00:00:00.000Z',
  providerRequestId: 'rq-1',
});

describe('publishing a batch this process just recorded', () => {
  let redis: RedisClient;
  let results: Queue;
  const prefix = testPrefix('recorded');
  const keys = new Keys(prefix);
  const ref = (n: number) => ({ stateId: `${n}-1`, jobId: String(n), requestId: 'req-r', provider: 'tim' as const, account: 'alice' });
  const published = async (stateId: string): Promise<Record<string, ResultBatch>> => {
    const jobs = await results.getJobs(['waiting'], 0, -1);
    return Object.fromEntries(jobs.filter((j) => j.id!.startsWith(`${stateId}-`)).map((j) => [j.id!, j.data as ResultBatch]));
  };

  /** A job store and a publisher of one process, sharing its recorded batches. */
  const sharing = () => {
    const batches = new RecordedBatches();
    return { batches, store: new JobStore(redis, keys, 60_000, batches), publisher: new ResultPublisher(redis, keys, results, 60_000, undefined, batches) };
  };

  beforeAll(() => {
    redis = connectRedis();
    results = new Queue(RESULTS_QUEUE, { connection: redis, prefix });
  });
  afterAll(async () => {
    await results.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('publishes from memory exactly what the outbox holds, and empties the outbox', async () => {
    const { batches, store, publisher } = sharing();
    const r = ref(1);
    await store.record(r, [result('bob'), result('carol', 'refused')]);
    // The outbox names the batch; its text is the request's, under the batch's id.
    expect(await redis.hget(keys.outbox(r.stateId), '1')).toBe('');
    const inOutbox = JSON.parse((await redis.hget(keys.requestResultTexts(r.requestId), `${r.stateId}-1`))!) as ResultBatch;
    expect(await publisher.flush(r)).toBe(1);
    expect(await published(r.stateId)).toEqual({ [`${r.stateId}-1`]: inOutbox });
    expect(await redis.exists(keys.outbox(r.stateId))).toBe(0);
    // Taken once: nothing is kept after publishing.
    expect(batches.take(keys.outbox(r.stateId), '1')).toBeUndefined();
  });

  it('keeps nothing when some finals were already recorded: the outbox holds only the new ones', async () => {
    const { batches, store, publisher } = sharing();
    const r = ref(2);
    await store.record(r, [result('dan')]);
    await publisher.flush(r);
    await store.record(r, [result('dan', 'failed'), result('eve')]);
    expect(batches.take(keys.outbox(r.stateId), '2')).toBeUndefined();
    await publisher.flush(r);
    const batch = (await published(r.stateId))[`${r.stateId}-2`]!;
    expect(batch.results.map((x) => x.target)).toEqual(['eve']);
  });

  it('reads from the outbox what another process recorded, oldest first', async () => {
    const elsewhere = new JobStore(redis, keys, 60_000, new RecordedBatches());
    const publisher = new ResultPublisher(redis, keys, results, 60_000, undefined, new RecordedBatches());
    const heard: [string, ResultBatch][] = [];
    publisher.onPublished((batch, id) => {
      heard.push([id, batch]);
    });
    const r = ref(3);
    await elsewhere.record(r, [result('fay')]);
    await elsewhere.record(r, [result('gus')]);
    // An entry as workers wrote it before the request kept the texts: the text itself.
    const older = { requestId: 'req-r', provider: 'tim' as const, account: 'alice', results: [result('hub')] };
    await redis.hset(keys.outbox(r.stateId), '3', JSON.stringify(older));
    expect(await publisher.flush(r)).toBe(3);
    const got = await published(r.stateId);
    expect(Object.keys(got).sort()).toEqual([`${r.stateId}-1`, `${r.stateId}-2`, `${r.stateId}-3`]);
    expect(got[`${r.stateId}-2`]!.results).toEqual([result('gus')]);
    const batchOf = (target: string) => ({ requestId: 'req-r', provider: 'tim', account: 'alice', results: [result(target)] });
    expect(heard).toEqual([
      [`${r.stateId}-1`, batchOf('fay')],
      [`${r.stateId}-2`, batchOf('gus')],
      [`${r.stateId}-3`, older],
    ]);
  });

  it('names the batch whose text the request no longer holds, and leaves it in the outbox', async () => {
    const elsewhere = new JobStore(redis, keys, 60_000, new RecordedBatches());
    const publisher = new ResultPublisher(redis, keys, results, 60_000, undefined, new RecordedBatches());
    const r = { ...ref(6), requestId: 'req-torn' };
    await elsewhere.record(r, [result('ned')]);
    await redis.del(keys.requestResultTexts('req-torn'));
    await expect(publisher.flush(r)).rejects.toThrow(/result batch 6-1-1 is in the outbox but has no text/);
    expect(await redis.hkeys(keys.outbox(r.stateId))).toEqual(['1']);
  });

  it('publishes a batch recorded alone in its outbox without listing the outbox', async () => {
    const { store, publisher } = sharing();
    const r = ref(4);
    await store.init(r, 1);
    await store.record(r, [result('hal')]);
    // An entry nobody told this process of: only a listing would find it.
    const foreign = JSON.stringify({ requestId: 'req-r', provider: 'tim', account: 'alice', results: [result('ivy')] });
    await redis.hset(keys.outbox(r.stateId), '7', foreign);
    expect(await publisher.flush(r)).toBe(1);
    expect(Object.keys(await published(r.stateId))).toEqual([`${r.stateId}-1`]);
    expect(await redis.hkeys(keys.outbox(r.stateId))).toEqual(['7']);
  });

  it('lists the outbox when the batch was not alone, or when a new pass of the job began since', async () => {
    const { store, publisher } = sharing();
    const r = ref(5);
    await store.record(r, [result('jay')]);
    await store.record(r, [result('kim')]);
    expect(await publisher.flush(r)).toBe(2);
    expect(Object.keys(await published(r.stateId)).sort()).toEqual([`${r.stateId}-1`, `${r.stateId}-2`]);
    // Alone when recorded, but a new pass began: another worker may have written meanwhile.
    await store.record(r, [result('lou')]);
    await store.init(r, 3);
    const foreign = JSON.stringify({ requestId: 'req-r', provider: 'tim', account: 'alice', results: [result('max')] });
    await redis.hset(keys.outbox(r.stateId), '4', foreign);
    expect(await publisher.flush(r)).toBe(2);
    expect(await redis.exists(keys.outbox(r.stateId))).toBe(0);
    expect(Object.keys(await published(r.stateId)).sort()).toEqual([1, 2, 3, 4].map((n) => `${r.stateId}-${n}`));
  });

  it('forgets the oldest batches past its bound', () => {
    const batches = new RecordedBatches(2);
    const b = { batch: { requestId: 'r', provider: 'tim' as const, account: 'a', results: [] }, json: '{}' };
    batches.keep('k', 1, b);
    batches.keep('k', 2, b);
    batches.keep('k', 3, b);
    expect(batches.take('k', '1')).toBeUndefined();
    expect(batches.take('k', '3')).toBe(b);
  });
});
