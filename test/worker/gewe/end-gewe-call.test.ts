import { describe, expect, it } from 'vitest';
import { AccountLocks, type Lease, type NextWaiter } from '../../../src/accounts/account-lock.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { GewePacer } from '../../../src/pacing/gewe-pacer.js';
import { JobStore } from '../../../src/queue/job-store.js';
import { RecordedBatches } from '../../../src/queue/recorded-batches.js';
import { endGeweCall } from '../../../src/worker/gewe/end-gewe-call.js';
import type { TargetResult } from '../../../src/domain/types.js';
import { useRedisPrefix } from '../../helpers/redis-prefix.js';

const INTERVAL_MS = 60_000;
const added = (target: string): TargetResult => ({ target, outcome: 'added', code: 0, info: '', attempts: 1, finishedAt: '2026-12-04T00:00:00.000Z' });

/** A GeWe call's end: its lane's end stamped, its account let go and its target recorded in one step (gewe-call-end.lua). */
describe('ending a GeWe call in one step', () => {
  const db = useRedisPrefix('gewe-call-end');
  const { keys } = db;
  const ref = (n: number) => ({ stateId: `${n}-1`, jobId: String(n), requestId: `req-${n}`, provider: 'gewe' as const, account: `wx_${n}` });
  const parts = () => {
    const clock = fixedClock(Date.parse('2026-12-04T02:00:00Z'));
    return {
      clock,
      locks: new AccountLocks(db.redis, keys, 5000),
      store: new JobStore(db.redis, keys, 60_000, new RecordedBatches()),
      pacer: new GewePacer(db.redis, keys, 'Asia/Shanghai', clock),
    };
  };

  it('spaces the lane from the end, frees the account, names its first waiter and records the target', async () => {
    const { clock, locks, store, pacer } = parts();
    const r = ref(1);
    await store.init(r, 1);
    const lease = (await locks.acquire('gewe', r.account, r.jobId)) as Lease;
    expect(await locks.acquire('gewe', r.account, 'waiter-1')).toEqual({ rank: 0 });
    expect((await pacer.begin(r.account, r.stateId, INTERVAL_MS, 'add', 10)).kind).toBe('ok');
    // The call took 3 s: the lane's next add is an interval after its end, not its start.
    clock.advance(3000);
    const told: (NextWaiter | undefined)[] = [];
    const fresh = await endGeweCall(r, 'add', { finals: [added('v3_a')], progress: [], fields: { inFlight: 0 } }, lease, { pacer, store }, (n) => told.push(n));
    expect(fresh).toBe(1);
    expect(told).toEqual([{ id: 'waiter-1', place: 'unknown' }]);
    expect((await locks.view('gewe', r.account)).held).toBe(false);
    const snapshot = await store.load(r);
    expect([...snapshot.finals]).toEqual(['v3_a']);
    expect(snapshot.fields.get('inFlight')).toBe('0');
    clock.advance(INTERVAL_MS - 1);
    expect(await pacer.begin(r.account, 'next', INTERVAL_MS, 'add', 10)).toEqual({ kind: 'early', waitMs: 1 });
  });

  it('still lets the account go, and says who waits, when the step fails', async () => {
    const { locks, store, pacer } = parts();
    const r = ref(2);
    await store.init(r, 1);
    const lease = (await locks.acquire('gewe', r.account, r.jobId)) as Lease;
    expect(await locks.acquire('gewe', r.account, 'waiter-2')).toEqual({ rank: 0 });
    // A pacing hash of the wrong type fails the step at its first command.
    await db.redis.set(keys.gewePace(r.account), 'not a hash');
    const told: (NextWaiter | undefined)[] = [];
    const ending = endGeweCall(r, 'add', { finals: [added('v3_b')], progress: [], fields: {} }, lease, { pacer, store }, (n) => told.push(n));
    await expect(ending).rejects.toThrow(/WRONGTYPE/);
    expect(told).toEqual([{ id: 'waiter-2', place: 'unknown' }]);
    expect((await locks.view('gewe', r.account)).held).toBe(false);
    expect((await store.load(r)).finals.size).toBe(0);
  });
});
