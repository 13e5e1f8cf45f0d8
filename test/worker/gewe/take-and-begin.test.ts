import { describe, expect, it } from 'vitest';
import { AccountLocks, type Lease } from '../../../src/accounts/account-lock.js';
import { AccountStates } from '../../../src/accounts/account-state.js';
import { configWith } from '../../../src/config/load.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { GewePacer } from '../../../src/pacing/gewe-pacer.js';
import type { GeweJob } from '../../../src/providers/gewe/schema.js';
import type { JobRef } from '../../../src/queue/job-ref.js';
import { beginWithTake, begunWithTake } from '../../../src/worker/gewe/take-and-begin.js';
import { useRedisPrefix } from '../../helpers/redis-prefix.js';

const INTERVAL_MS = 60_000;

/** A GeWe call's start: its account taken and its send checked and recorded in one step (take-and-begin.lua). */
describe('taking the account and beginning the send in one step', () => {
  const db = useRedisPrefix('take-and-begin');
  const { keys } = db;
  const config = configWith({ GEWE_TOKEN: 'gewe-token-test' });
  const pace = { intervalMs: INTERVAL_MS, cap: 10, kind: 'add' as const };
  let n = 0;
  const parts = () => {
    n += 1;
    const clock = fixedClock(Date.parse('2026-12-04T02:00:00Z'));
    const pacer = new GewePacer(db.redis, keys, 'Asia/Shanghai', clock);
    const ref: JobRef = { stateId: `s${n}-1`, jobId: `j${n}`, requestId: `r${n}`, provider: 'gewe', account: `wx_${n}` };
    const data = { requestId: ref.requestId, appId: ref.account, v3: `v3_${n}`, option: 2 } as GeweJob;
    return { clock, pacer, ref, data, locks: new AccountLocks(db.redis, keys, 5000), step: () => beginWithTake(data, ref, pace, { pacer, config }) };
  };
  const inFlight = (ref: JobRef) => db.redis.hget(keys.job(ref.stateId), 'inFlight');

  it('takes a free account and records the send, marking the add in flight', async () => {
    const { locks, ref, step } = parts();
    const lease = (await locks.acquireThen('gewe', ref.account, ref.jobId, Date.now(), step())) as Lease;
    expect(begunWithTake(lease.stepReply)).toEqual({ kind: 'ok', countToday: 1 });
    expect(await locks.view('gewe', ref.account)).toMatchObject({ held: true, jobId: ref.jobId });
    expect(await inFlight(ref)).toBe('1');
    await lease.release();
  });

  it('tells how early the send is, with the account taken, when the lane was used within its interval', async () => {
    const { clock, locks, pacer, ref, step } = parts();
    expect((await pacer.begin(ref.account, 'before', INTERVAL_MS, 'add', 10)).kind).toBe('ok');
    clock.advance(1000);
    const lease = (await locks.acquireThen('gewe', ref.account, ref.jobId, Date.now(), step())) as Lease;
    expect(begunWithTake(lease.stepReply)).toEqual({ kind: 'early', waitMs: INTERVAL_MS - 1000 });
    expect(await inFlight(ref)).toBeNull();
    await lease.release();
  });

  it('checks nothing and records nothing when the account is busy or must not be called', async () => {
    const { locks, ref, step } = parts();
    const holder = (await locks.acquire('gewe', ref.account, 'holder')) as Lease;
    expect(await locks.acquireThen('gewe', ref.account, ref.jobId, Date.now(), step())).toEqual({ rank: 0 });
    await holder.release();
    await new AccountStates(db.redis, keys).pause('gewe', ref.account);
    expect(await locks.acquireThen('gewe', ref.account, 'other', Date.now(), step())).toEqual({ blocked: true });
    expect(await inFlight(ref)).toBeNull();
    expect(await db.redis.hget(keys.gewePace(ref.account), 'lastSent')).toBeNull();
  });
});
