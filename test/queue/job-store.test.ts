import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { JobStore } from '../../src/queue/job-store.js';
import { AccountStates } from '../../src/accounts/account-state.js';
import { ResultPublisher } from '../../src/queue/result-publisher.js';
import { RESULTS_QUEUE } from '../../src/queue/names.js';
import { Keys } from '../../src/lib/keys.js';
import type { RedisClient } from '../../src/lib/redis-client.js';
import type { TargetResult } from '../../src/domain/types.js';
import { readResultPage } from '../../src/queue/request-results.js';
import { connectRedis, deletePrefix, testPrefix } from '../helpers/redis.js';

const result = (target: string, outcome: TargetResult['outcome'] = 'added'): TargetResult => ({
  target,
  outcome,
  code: 0,
  info: '',
  attempts: 1,
  finishedAt: '2026-11-26T00:00:00.000Z',
});

describe('job state and the result outbox', () => {
  let redis: RedisClient;
  let results: Queue;
  const prefix = testPrefix('store');
  const keys = new Keys(prefix);
  const ref = { stateId: '7-1', jobId: '7', requestId: 'req-1', provider: 'tim' as const, account: 'alice' };

  beforeAll(() => {
    redis = connectRedis();
    results = new Queue(RESULTS_QUEUE, { connection: redis, prefix });
  });
  afterAll(async () => {
    await results.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('counts a job into its request once, however often it is initialised', async () => {
    const store = new JobStore(redis, keys, 60_000);
    await store.init(ref, 3);
    await store.init(ref, 3);
    expect(await redis.hgetall(keys.request('req-1'))).toMatchObject({ total: '3', open: '3', jobs: '1' });
  });

  it('records a target final once: a second final for it is ignored everywhere', async () => {
    const store = new JobStore(redis, keys, 60_000);
    expect(await store.record(ref, [result('bob'), result('carol', 'refused')])).toBe(2);
    expect(await store.record(ref, [result('bob', 'failed'), result('dave')])).toBe(1);
    const snapshot = await store.load(ref);
    expect([...snapshot.finals].sort()).toEqual(['bob', 'carol', 'dave']);
    expect(await redis.hgetall(keys.request('req-1'))).toMatchObject({ open: '0', 'o:added': '2', 'o:refused': '1' });
    expect((await readResultPage(redis, keys, 'req-1', 0, 10)).count).toBe(3);
  });

  it("reads the job's state as load does, and its account's as AccountStates does, while it registers the job", async () => {
    const store = new JobStore(redis, keys, 60_000);
    const accounts = new AccountStates(redis, keys);
    const other = { ...ref, stateId: '8-1', jobId: '8', requestId: 'req-2', account: 'grace' };
    const fresh = await store.init(other, 2);
    expect(fresh.firstRun).toBe(true);
    expect(fresh.snapshot).toMatchObject({ cancelled: false, finals: new Set() });
    expect(fresh.account).toEqual(await accounts.read('tim', 'grace'));
    expect(fresh.account).toMatchObject({ paused: false, restUntil: 0 });
    await accounts.pause('tim', 'grace');
    await accounts.strike('tim', 'grace', 60_000, 30540);
    const marked = await store.init(other, 2);
    expect(marked.account).toEqual(await accounts.read('tim', 'grace'));
    expect(marked.account).toMatchObject({ paused: true, strikes: 1, strikeCode: 30540 });
    await store.record(other, [result('frank', 'refused')], [], { retryAt: 1234 });
    await redis.hset(keys.request('req-2'), 'cancelled', '1');
    const again = await store.init(other, 2);
    expect(again.firstRun).toBe(false);
    // Recorded, not yet published: the next run publishes it first.
    expect([fresh.unpublished, again.unpublished]).toEqual([false, true]);
    const elsewhere = new Queue('init-test-results', { connection: redis, prefix });
    await new ResultPublisher(redis, keys, elsewhere, 60_000).flush(other);
    await elsewhere.close();
    expect((await store.init(other, 2)).unpublished).toBe(false);
    expect(again.snapshot).toEqual(await store.load(other));
    expect(again.snapshot.cancelled).toBe(true);
    expect([...again.snapshot.finals]).toEqual(['frank']);
    expect(again.snapshot.fields.get('retryAt')).toBe('1234');
  });

  it('publishes each outbox batch once, with a deterministic id, even when flushed again', async () => {
    const store = new JobStore(redis, keys, 60_000);
    const publisher = new ResultPublisher(redis, keys, results, 60_000);
    expect(await publisher.flush(ref)).toBe(2);
    // A crash between publish and outbox delete: the batch is published again, same id.
    await store.record(ref, [result('erin')]);
    const [seq] = Object.keys(await redis.hgetall(keys.outbox(ref.stateId)));
    await results.add('tim', { requestId: 'req-1', provider: 'tim', account: 'alice', results: [result('erin')] }, { jobId: `${ref.stateId}-${seq}` });
    expect(await publisher.flush(ref)).toBe(1);
    const jobs = await results.getJobs(['waiting'], 0, -1);
    const targets = jobs.flatMap((j) => j.data.results.map((r: TargetResult) => r.target)).sort();
    expect(targets).toEqual(['bob', 'carol', 'dave', 'erin']);
    expect(await redis.exists(keys.outbox(ref.stateId))).toBe(0);
  });

  it('cuts each result out of the batch by bytes: targets and answers in any script, partly fresh batches', async () => {
    const store = new JobStore(redis, keys, 60_000);
    const other = { ...ref, stateId: '9-1', jobId: '9', requestId: 'req-9' };
    const wide = (target: string, info: string): TargetResult => ({ ...result(target, 'refused'), code: -2, info });
    const first = [wide('张三', '好友已满'), wide('o,n\ne', 'a "quoted", comma'), wide('emoji😀', '')];
    expect(await store.record(other, first, [{ target: '李四', attempts: 1, last: { code: 30505, info: '稍后再试' } }])).toBe(3);
    // Partly fresh: the outbox entry is rebuilt from the new results alone.
    expect(await store.record(other, [wide('张三', 'again'), wide('王五', '已满')])).toBe(1);
    const listed = (await readResultPage(redis, keys, 'req-9', 0, 10)).results;
    expect(listed).toEqual([...first, wide('王五', '已满')]);
    expect(await redis.hgetall(keys.outbox('9-1'))).toEqual({ 1: '', 2: '' });
    const texts = await redis.hgetall(keys.requestResultTexts('req-9'));
    expect(JSON.parse(texts['9-1-1']!)).toEqual({ requestId: 'req-9', provider: 'tim', account: 'alice', results: first });
    expect(JSON.parse(texts['9-1-2']!).results).toEqual([wide('王五', '已满')]);
    const snapshot = await store.load(other);
    expect([...snapshot.finals].sort()).toEqual(['emoji😀', 'o,n\ne', '张三', '王五'].sort());
    expect(snapshot.attempts.get('李四')).toBe(1);
    expect(JSON.parse((await redis.hget(keys.job('9-1'), 'l:李四'))!)).toEqual({ code: 30505, info: '稍后再试' });
  });

  it("records a job's first batch of distinct targets as sent, exactly as the checked path would", async () => {
    const store = new JobStore(redis, keys, 60_000);
    const finals = [result('amy'), result('李四', 'refused'), result('cy,\n', 'requested'), result('dee', 'refused')];
    // Distinct targets, nothing final before: the script keeps the finals field and counts as sent.
    const sent = { ...ref, stateId: '12-1', jobId: '12', requestId: 'req-12' };
    expect(await store.record(sent, finals)).toBe(4);
    // The same finals with a target named twice: the script compares them one by one.
    const checked = { ...ref, stateId: '13-1', jobId: '13', requestId: 'req-13' };
    expect(await store.record(checked, [...finals, result('amy', 'failed')])).toBe(4);
    expect(await redis.hget(keys.job('12-1'), 'F:1')).toBe(await redis.hget(keys.job('13-1'), 'F:1'));
    expect((await readResultPage(redis, keys, 'req-12', 0, 10)).results).toEqual(finals);
    expect((await readResultPage(redis, keys, 'req-13', 0, 10)).results).toEqual(finals);
    const counts = await redis.hgetall(keys.request('req-12'));
    expect(counts).toMatchObject({ 'o:added': '1', 'o:refused': '2', 'o:requested': '1', open: '-4' });
    expect(await redis.hgetall(keys.request('req-13'))).toMatchObject({ 'o:added': '1', 'o:refused': '2', 'o:requested': '1', open: '-4' });
    expect(await redis.hget(keys.requestResultTexts('req-12'), '12-1-1')).toBe(
      JSON.stringify({ requestId: 'req-12', provider: 'tim', account: 'alice', results: finals }),
    );
  });

  it('keeps one finals field per recorded batch, and reads a job recorded target by target before it', async () => {
    const store = new JobStore(redis, keys, 60_000);
    const fresh = { ...ref, stateId: '10-1', jobId: '10', requestId: 'req-10' };
    await store.record(fresh, [result('amy'), result('ben', 'failed')]);
    const hash = await redis.hgetall(keys.job('10-1'));
    expect(Object.keys(hash).filter((f) => f.startsWith('F:') || f.startsWith('f:'))).toEqual(['F:1']);
    // A job in flight across the upgrade: its finals are `f:<target>` fields, and stay so.
    const old = { ...ref, stateId: '11-1', jobId: '11', requestId: 'req-11' };
    await redis.hset(keys.job('11-1'), 'f:bob', 'added', 'seq', '1');
    expect(await store.record(old, [result('bob', 'failed'), result('zoe')])).toBe(1);
    expect(await redis.hget(keys.job('11-1'), 'f:zoe')).toBe('added');
    expect(await redis.hexists(keys.job('11-1'), 'F:2')).toBe(0);
    expect([...(await store.load(old)).finals].sort()).toEqual(['bob', 'zoe']);
  });

  it('keeps attempts and last answers of open targets', async () => {
    const store = new JobStore(redis, keys, 60_000);
    const other = { ...ref, stateId: '8-1', jobId: '8' };
    await store.record(other, [], [{ target: 'zed', attempts: 2, last: { code: 30505, info: 'task error' } }], { retryAt: 123 });
    const snapshot = await store.load(other);
    expect(snapshot.attempts.get('zed')).toBe(2);
    expect(snapshot.fields.get('retryAt')).toBe('123');
    expect(JSON.parse((await redis.hget(keys.job('8-1'), 'l:zed'))!)).toEqual({ code: 30505, info: 'task error' });
  });
});
