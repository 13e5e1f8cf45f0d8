import { describe, expect, it } from 'vitest';
import { JobStore } from '../../src/queue/job-store.js';
import { ResultPublisher } from '../../src/queue/result-publisher.js';
import { RecordedBatches } from '../../src/queue/recorded-batches.js';
import type { ResultBatch, TargetResult } from '../../src/domain/types.js';
import { useResultsQueue } from '../helpers/results-queue.js';

const result = (target: string): TargetResult => ({ target, outcome: 'added', code: 0, info: '', attempts: 1, finishedAt: '2026-12-04T00:00:00.000Z' });

/**
 * A batch's outbox entry is for listeners beyond the worker's process (the webhook's queue): with
 * none, a batch recorded whole into an empty outbox gets no entry, since its result job was added
 * in the same step (ResultJobs.listenersBeyond). Every other batch keeps its entry.
 */
describe('the outbox without listeners beyond the process', () => {
  const db = useResultsQueue('entryless');
  const { keys } = db;
  const ref = (n: number) => ({ stateId: `${n}-1`, jobId: String(n), requestId: `req-${n}`, provider: 'tim' as const, account: 'alice' });
  const queued = async (stateId: string) => (await db.results.getJobs(['waiting'], 0, -1)).filter((j) => j.id!.startsWith(`${stateId}-`)).map((j) => j.id!);

  /** One process's store and publisher, told of a listener as the worker tells them. */
  const process = (where: 'beyond' | 'in-process') => {
    const batches = new RecordedBatches();
    const publisher = new ResultPublisher(db.redis, keys, db.results, 60_000, undefined, batches);
    const seen: string[] = [];
    publisher.onPublished((b: ResultBatch, id) => void seen.push(`${id} ${b.results.map((r) => r.target).join(',')}`), where);
    return { publisher, seen, store: new JobStore(db.redis, keys, 60_000, batches, publisher.resultJobs) };
  };

  it('writes no entry for a whole batch, and still hands it to the in-process listener', async () => {
    const { store, publisher, seen } = process('in-process');
    const r = ref(1);
    await store.init(r, 2);
    await store.record(r, [result('bob'), result('carol')]);
    expect(await db.redis.exists(keys.outbox(r.stateId))).toBe(0);
    expect(await queued(r.stateId)).toEqual([`${r.stateId}-1`]);
    expect(await publisher.flush(r)).toBe(1);
    expect(seen).toEqual([`${r.stateId}-1 bob,carol`]);
    // A run after a crash here finds nothing left to publish: the result job was the whole of it.
    const next = process('in-process');
    expect((await next.store.init(r, 2)).unpublished).toBe(false);
    expect(await next.publisher.flush(r)).toBe(0);
    expect(await queued(r.stateId)).toEqual([`${r.stateId}-1`]);
  });

  it('writes the entry while a listener beyond the process waits for batches, and removes it once handed on', async () => {
    const { store, publisher, seen } = process('beyond');
    const r = ref(2);
    await store.init(r, 1);
    await store.record(r, [result('bob')]);
    expect(await db.redis.hgetall(keys.outbox(r.stateId))).toEqual({ 1: '' });
    expect(await publisher.flush(r)).toBe(1);
    expect(seen).toEqual([`${r.stateId}-1 bob`]);
    expect(await db.redis.exists(keys.outbox(r.stateId))).toBe(0);
  });

  it('writes the entry for a batch of which only some finals are new', async () => {
    const { store, publisher, seen } = process('in-process');
    const r = ref(3);
    await store.init(r, 2);
    await store.record(r, [result('bob')]);
    await publisher.flush(r);
    // bob is final already: the batch recorded is carol's alone, read back through its entry.
    await store.record(r, [result('bob'), result('carol')]);
    expect(await db.redis.hgetall(keys.outbox(r.stateId))).toEqual({ 2: '' });
    expect(await publisher.flush(r)).toBe(1);
    expect(seen).toEqual([`${r.stateId}-1 bob`, `${r.stateId}-2 carol`]);
    expect(await db.redis.exists(keys.outbox(r.stateId))).toBe(0);
  });

  it('writes the entry when the outbox holds a batch still unpublished, and publishes both in order', async () => {
    const r = ref(4);
    // A process with the webhook recorded a batch and was killed before publishing it.
    const killed = process('beyond');
    await killed.store.init(r, 2);
    await killed.store.record(r, [result('bob')]);
    const next = process('in-process');
    expect((await next.store.init(r, 2)).unpublished).toBe(true);
    await next.store.record(r, [result('carol')]);
    expect(await db.redis.hgetall(keys.outbox(r.stateId))).toEqual({ 1: '', 2: '' });
    expect(await next.publisher.flush(r)).toBe(2);
    expect(next.seen).toEqual([`${r.stateId}-1 bob`, `${r.stateId}-2 carol`]);
    expect(await db.redis.exists(keys.outbox(r.stateId))).toBe(0);
    expect((await queued(r.stateId)).sort()).toEqual([`${r.stateId}-1`, `${r.stateId}-2`]);
  });
});
