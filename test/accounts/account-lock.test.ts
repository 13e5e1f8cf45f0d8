import { describe, expect, it } from 'vitest';
import { AccountLocks, type Lease } from '../../src/accounts/account-lock.js';
import { AccountStates } from '../../src/accounts/account-state.js';
import { useRedisPrefix } from '../helpers/redis-prefix.js';
import { waitFor } from '../helpers/wait-for.js';

describe('account leases', () => {
  const db = useRedisPrefix('lock');
  const { keys } = db;

  it('lets one holder at a time, and names the first waiter on release', async () => {
    const locks = new AccountLocks(db.redis, keys, 2000);
    const held = (await locks.acquire('tim', 'alice', 'job-1')) as Lease;
    expect(held.release).toBeDefined();
    expect(await locks.acquire('tim', 'alice', 'job-2')).toEqual({ rank: 0 });
    expect(await locks.acquire('tim', 'alice', 'job-3')).toEqual({ rank: 1 });
    expect(await locks.peek('tim', 'alice', 'job-3')).toEqual({ rank: 1 });
    expect(await locks.peek('tim', 'bob', 'job-4')).toBeUndefined();
    expect('release' in (await locks.acquire('tim', 'bob', 'job-4'))).toBe(true);
    expect(await held.release()).toEqual({ id: 'job-2', place: 'unknown' });
    const next = (await locks.acquire('tim', 'alice', 'job-2')) as Lease;
    expect(await next.release()).toEqual({ id: 'job-3', place: 'unknown' });
  });

  it('lines waiters up by when their work was queued, not by when they looked', async () => {
    const locks = new AccountLocks(db.redis, keys, 2000);
    const held = await locks.acquire('tim', 'ordered', 'job-a', 100);
    // A job queued later finds the account busy first (its pre-call work was quicker)...
    expect(await locks.peek('tim', 'ordered', 'job-c', 300)).toEqual({ rank: 0 });
    // ...and the job queued before it still goes ahead of it.
    expect(await locks.acquire('tim', 'ordered', 'job-b', 200)).toEqual({ rank: 0 });
    expect(await locks.peek('tim', 'ordered', 'job-c', 300)).toEqual({ rank: 1 });
    expect(await (held as Lease).release()).toEqual({ id: 'job-b', place: 'unknown' });
  });

  it('renews a held lease past its length, and frees a lease whose holder died', async () => {
    const locks = new AccountLocks(db.redis, keys, 1000);
    const held = (await locks.acquire('gewe', 'wx_a', 'j1')) as Lease;
    await new Promise((r) => setTimeout(r, 1500)); // longer than the lease: renewal keeps it
    expect(await locks.acquire('gewe', 'wx_a', 'j2')).toEqual({ rank: 0 });
    await held.release();
    // A holder that never releases (killed): the lease lapses by itself.
    await db.redis.set(keys.accountLock('gewe', 'wx_b'), 'dead-holder', 'PX', 300);
    await waitFor('the dead lease to lapse', async () => 'release' in (await locks.acquire('gewe', 'wx_b', 'j3')), 3000);
  });

  it('does not release a lease that is no longer its own', async () => {
    const locks = new AccountLocks(db.redis, keys, 500);
    const held = (await locks.acquire('tim', 'carol', 'j1')) as Lease;
    await db.redis.set(keys.accountLock('tim', 'carol'), 'someone-else', 'PX', 5000);
    await held.release();
    expect(await db.redis.get(keys.accountLock('tim', 'carol'))).toBe('someone-else');
  });

  it('does not take a free account whose state says it must not be called now, and takes it once that ends', async () => {
    const locks = new AccountLocks(db.redis, keys, 2000);
    const accounts = new AccountStates(db.redis, keys);
    const now = Date.now();
    const marks: [string, () => Promise<unknown>][] = [
      ['paused', () => accounts.pause('tim', 'm_paused')],
      ['parked', () => accounts.park('gewe', 'm_parked', 'offline')],
      ['resting', () => accounts.strike('tim', 'm_resting', 60_000, 30540)],
      ['disabled', () => accounts.disable('tim', 'm_disabled', now + 60_000)],
      ['locked out', () => db.redis.hset(keys.account('tim', 'm_locked'), 'lockedUntil', String(now + 60_000))],
    ];
    for (const [state, mark] of marks) {
      const account = `m_${state.split(' ')[0]}`;
      const provider = state === 'parked' ? 'gewe' : 'tim';
      await mark();
      expect(await locks.acquire(provider, account, 'j1'), state).toEqual({ blocked: true });
      // Neither held nor waited for: the caller reads the account again.
      expect(await locks.view(provider, account), state).toMatchObject({ held: false, waiters: 0 });
      // Resume ends all but a disable (TIM's own 30545 mark), which ends with its time.
      await accounts.resume(provider, account);
      if (state === 'disabled') await db.redis.hdel(keys.account(provider, account), 'disabledUntil');
      const lease = await locks.acquire(provider, account, 'j1');
      expect('release' in lease, state).toBe(true);
      await (lease as Lease).release();
    }
    // A rest that has ended by the caller's clock does not block.
    await accounts.strike('tim', 'm_rest_over', 1000, 30540, now - 10_000);
    expect('release' in (await locks.acquire('tim', 'm_rest_over', 'j1'))).toBe(true);
  });

  it('tells the holder whether the account had a run of strikes when it was taken', async () => {
    const locks = new AccountLocks(db.redis, keys, 2000);
    const accounts = new AccountStates(db.redis, keys);
    const clean = (await locks.acquire('tim', 's_clean', 'j1')) as Lease;
    expect(clean.struck).toBe(false);
    await clean.release();
    // A strike whose rest is over: the run of strikes stays until an answered call ends it.
    await accounts.strike('tim', 's_clean', 1000, 30540, Date.now() - 10_000);
    const struck = (await locks.acquire('tim', 's_clean', 'j1')) as Lease;
    expect(struck.struck).toBe(true);
    await struck.release();
    await accounts.clearStrikes('tim', 's_clean');
    expect(((await locks.acquire('tim', 's_clean', 'j1')) as Lease).struck).toBe(false);
  });

  it('looks before work only at an account this process found busy, until it lets it go unwaited', async () => {
    const other = new AccountLocks(db.redis, keys, 2000);
    const locks = new AccountLocks(db.redis, keys, 2000);
    const held = (await other.acquire('tim', 'hinted', 'holder')) as Lease;
    // Never found busy here: no look, so no place taken in its line.
    expect(await locks.peekIfContended('tim', 'hinted', 'job-1')).toBeUndefined();
    expect(await locks.view('tim', 'hinted')).toMatchObject({ held: true, waiters: 0 });
    // Its take finds it busy (and joins the line): from then on, a job looks first.
    expect(await locks.acquire('tim', 'hinted', 'job-1')).toEqual({ rank: 0 });
    expect(await locks.peekIfContended('tim', 'hinted', 'job-2')).toEqual({ rank: 1 });
    expect(await held.release()).toEqual({ id: 'job-1', place: 'unknown' });
    await locks.forget('tim', 'hinted', 'job-2');
    // Let go here with someone in line: still contended, so a job looks first.
    const mine = (await locks.acquire('tim', 'hinted', 'job-1')) as Lease;
    expect(await other.acquire('tim', 'hinted', 'job-3')).toEqual({ rank: 0 });
    expect(await mine.release()).toEqual({ id: 'job-3', place: 'unknown' });
    const theirs = (await other.acquire('tim', 'hinted', 'job-3')) as Lease;
    expect(await locks.peekIfContended('tim', 'hinted', 'job-4')).toEqual({ rank: 0 });
    await locks.forget('tim', 'hinted', 'job-4');
    await theirs.release();
    // Let go here with nobody waiting: no more looks until a take finds it busy again.
    const last = (await locks.acquire('tim', 'hinted', 'job-5')) as Lease;
    expect(await last.release()).toBeUndefined();
    await other.acquire('tim', 'hinted', 'holder-2');
    expect(await locks.peekIfContended('tim', 'hinted', 'job-6')).toBeUndefined();
    expect(await locks.view('tim', 'hinted')).toMatchObject({ held: true, waiters: 0 });
  });
});
