import { describe, expect, it } from 'vitest';
import { AccountLocks } from '../../../src/accounts/account-lock.js';
import { AccountStates } from '../../../src/accounts/account-state.js';
import type { JobRef } from '../../../src/queue/job-ref.js';
import { JobStore } from '../../../src/queue/job-store.js';
import { startTimJob } from '../../../src/worker/tim/tim-start.js';
import { useRedisPrefix } from '../../helpers/redis-prefix.js';

/** A TIM job's first turn: counted and read, and its account taken, in one step (init-and-take.lua). */
describe("a TIM job's start takes its account with its state", () => {
  const db = useRedisPrefix('tim-start');
  const { keys } = db;
  let n = 0;
  const parts = () => {
    n += 1;
    const ref: JobRef = { stateId: `s${n}-1`, jobId: `j${n}`, requestId: `r${n}`, provider: 'tim', account: `acct_${n}` };
    return { ref, deps: { store: new JobStore(db.redis, keys, 60_000), locks: new AccountLocks(db.redis, keys, 5000) } };
  };

  it('counts the job, reads its state and takes a free account for its call', async () => {
    const { ref, deps } = parts();
    const { start, lease } = await startTimJob(ref, 3, Date.now(), deps);
    expect(start.firstRun).toBe(true);
    expect(await db.redis.hget(keys.request(ref.requestId), 'total')).toBe('3');
    expect(lease).toBeDefined();
    expect(await deps.locks.view('tim', ref.account)).toMatchObject({ held: true, jobId: ref.jobId, waiters: 0 });
    await lease!.release();
    expect(await deps.locks.view('tim', ref.account)).toMatchObject({ held: false });
  });

  it('takes nothing for a cancelled request, a busy account (the job joins its line) or a paused one', async () => {
    const cancelled = parts();
    await db.redis.hset(keys.request(cancelled.ref.requestId), 'cancelled', '1');
    const c = await startTimJob(cancelled.ref, 1, Date.now(), cancelled.deps);
    expect(c.start.snapshot.cancelled).toBe(true);
    expect(c.lease).toBeUndefined();
    expect(await cancelled.deps.locks.view('tim', cancelled.ref.account)).toMatchObject({ held: false });

    const busy = parts();
    const holder = await busy.deps.locks.acquire('tim', busy.ref.account, 'holder');
    const b = await startTimJob(busy.ref, 1, Date.now(), busy.deps);
    expect(b.lease).toBeUndefined();
    expect(await busy.deps.locks.view('tim', busy.ref.account)).toMatchObject({ held: true, jobId: 'holder', waiters: 1 });
    if ('release' in holder) await holder.release();

    const paused = parts();
    await new AccountStates(db.redis, keys).pause('tim', paused.ref.account);
    const p = await startTimJob(paused.ref, 1, Date.now(), paused.deps);
    expect(p.start.account.paused).toBe(true);
    expect(p.lease).toBeUndefined();
    expect(await paused.deps.locks.view('tim', paused.ref.account)).toMatchObject({ held: false });
  });
});
