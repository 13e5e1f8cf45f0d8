import { describe, expect, it } from 'vitest';
import { AccountLocks, type Lease } from '../../src/accounts/account-lock.js';
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
    expect(await held.release()).toBe('job-2');
    const next = (await locks.acquire('tim', 'alice', 'job-2')) as Lease;
    expect(await next.release()).toBe('job-3');
  });

  it('lines waiters up by when their work was queued, not by when they looked', async () => {
    const locks = new AccountLocks(db.redis, keys, 2000);
    const held = await locks.acquire('tim', 'ordered', 'job-a', 100);
    // A job queued later finds the account busy first (its pre-call work was quicker)...
    expect(await locks.peek('tim', 'ordered', 'job-c', 300)).toEqual({ rank: 0 });
    // ...and the job queued before it still goes ahead of it.
    expect(await locks.acquire('tim', 'ordered', 'job-b', 200)).toEqual({ rank: 0 });
    expect(await locks.peek('tim', 'ordered', 'job-c', 300)).toEqual({ rank: 1 });
    expect(await (held as Lease).release()).toBe('job-b');
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
});
