import { describe, expect, it } from 'vitest';
import { AccountLocks, type Lease, type NextWaiter } from '../../src/accounts/account-lock.js';
import { JobStore, LostJobError } from '../../src/queue/job-store.js';
import { RecordedBatches } from '../../src/queue/recorded-batches.js';
import { releaseAndRecordCall } from '../../src/worker/release-and-record.js';
import type { TargetResult } from '../../src/domain/types.js';
import { useRedisPrefix } from '../helpers/redis-prefix.js';

const added = (target: string): TargetResult => ({ target, outcome: 'added', code: 0, info: '', attempts: 1, finishedAt: '2026-12-04T00:00:00.000Z' });

/** A call's end: its account let go and its targets recorded in one step (release-and-record.lua). */
describe('letting the account go and recording the call in one step', () => {
  const db = useRedisPrefix('release-record');
  const { keys } = db;
  const ref = (n: number, lockToken?: string) => ({
    stateId: `${n}-1`,
    jobId: String(n),
    requestId: `req-${n}`,
    provider: 'tim' as const,
    account: `acct-${n}`,
    ...(lockToken && { lockToken }),
  });
  const parts = () => ({ locks: new AccountLocks(db.redis, keys, 5000), store: new JobStore(db.redis, keys, 60_000, new RecordedBatches()) });

  it('frees the account, names its first waiter, and records every final', async () => {
    const { locks, store } = parts();
    const r = ref(1);
    await store.init(r, 2);
    const lease = (await locks.acquire('tim', r.account, r.jobId)) as Lease;
    expect(await locks.acquire('tim', r.account, 'waiter-1')).toEqual({ rank: 0 });
    const told: (NextWaiter | undefined)[] = [];
    const fresh = await releaseAndRecordCall(store, r, { finals: [added('bob'), added('carol')], progress: [], fields: { retryAt: 7 } }, lease, (n) =>
      told.push(n),
    );
    expect(fresh).toBe(2);
    expect(told).toEqual([{ id: 'waiter-1', place: 'unknown' }]);
    expect((await locks.view('tim', r.account)).held).toBe(false);
    const snapshot = await store.load(r);
    expect([...snapshot.finals].sort()).toEqual(['bob', 'carol']);
    expect(snapshot.fields.get('retryAt')).toBe('7');
  });

  it('still lets the account go, and says who waits, when the record is refused for a lost job lock', async () => {
    const { locks, store } = parts();
    const r = ref(2, 'our-token');
    await db.redis.set(keys.inputJobLock(r.jobId), 'another-workers-token');
    const lease = (await locks.acquire('tim', r.account, r.jobId)) as Lease;
    expect(await locks.acquire('tim', r.account, 'waiter-2')).toEqual({ rank: 0 });
    const told: (NextWaiter | undefined)[] = [];
    const recording = releaseAndRecordCall(store, r, { finals: [added('bob')], progress: [], fields: {} }, lease, (n) => told.push(n));
    await expect(recording).rejects.toBeInstanceOf(LostJobError);
    expect(told).toEqual([{ id: 'waiter-2', place: 'unknown' }]);
    expect((await locks.view('tim', r.account)).held).toBe(false);
    expect((await store.load(r)).finals.size).toBe(0);
  });

  it('records, and leaves the account to its new holder, when the lease had lapsed and was taken', async () => {
    const { locks, store } = parts();
    const r = ref(3);
    await store.init(r, 1);
    const lapsed = (await locks.acquire('tim', r.account, r.jobId)) as Lease;
    // The lease lapses (its process stalled past it) and another job takes the account.
    await db.redis.del(keys.accountLock('tim', r.account));
    expect('release' in (await locks.acquire('tim', r.account, 'job-other'))).toBe(true);
    const fresh = await releaseAndRecordCall(store, r, { finals: [added('bob')], progress: [], fields: {} }, lapsed, () => undefined);
    expect(fresh).toBe(1);
    expect(await locks.view('tim', r.account)).toMatchObject({ held: true, jobId: 'job-other' });
  });
});
