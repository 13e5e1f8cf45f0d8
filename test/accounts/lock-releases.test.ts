import { afterEach, describe, expect, it } from 'vitest';
import { AccountLocks, HELD_IN_LINE, type Lease } from '../../src/accounts/account-lock.js';
import { LockReleases } from '../../src/accounts/lock-releases.js';
import { useRedisPrefix } from '../helpers/redis-prefix.js';
import { connectRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait-for.js';

describe('waiting in place for a busy account', () => {
  const db = useRedisPrefix('lock-releases');
  const { keys } = db;
  const opened: LockReleases[] = [];
  /** A worker's subscriber, as start-worker.ts makes it, subscribed before the test goes on. */
  const listen = async () => {
    const releases = new LockReleases(connectRedis(), keys.lockReleases());
    opened.push(releases);
    await releases.ready;
    return releases;
  };
  afterEach(() => {
    for (const releases of opened.splice(0)) releases.close();
  });

  it('the first in line gets the account as soon as its holder lets go on another worker, and never before', async () => {
    const holder = new AccountLocks(db.redis, keys, 5000, await listen());
    const waiter = new AccountLocks(db.redis, keys, 5000, await listen());
    const held = (await holder.acquire('tim', 'alice', 'job-1')) as Lease;
    let onHold = 0;
    const started = Date.now();
    const taking = waiter.acquire('tim', 'alice', 'job-2', 200, Date.now(), { ms: 10_000, onHold: () => (onHold += 1) });
    await waitFor('the waiter to start holding', () => onHold === 1, 2000);
    let taken = false;
    void taking.then(() => (taken = true));
    // Still held: the waiter has not got it (a look at the lease itself says who holds it).
    expect((await holder.view('tim', 'alice')).jobId).toBe('job-1');
    expect(taken).toBe(false);
    expect(await held.release()).toEqual({ id: 'job-2', place: 'unknown' });
    const got = await taking;
    expect('release' in got).toBe(true);
    // Told, not timed out: well inside the 10 s hold.
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await holder.view('tim', 'alice')).jobId).toBe('job-2');
    expect(onHold).toBe(1);
    await (got as Lease).release();
  });

  it('a peek held in line finds the account free once it is let go, without taking it', async () => {
    const locks = new AccountLocks(db.redis, keys, 5000, await listen());
    const held = (await locks.acquire('tim', 'bob', 'job-1')) as Lease;
    const peeking = locks.peek('tim', 'bob', 'job-2', 200, { ms: 10_000 });
    await waitFor('the peek to join the line', async () => (await locks.view('tim', 'bob')).waiters === 1, 2000);
    await held.release();
    expect(await peeking).toBeUndefined();
    expect((await locks.view('tim', 'bob')).held).toBe(false);
  });

  it(`only the first ${HELD_IN_LINE} waiters hold; the rest are told their rank at once`, async () => {
    const locks = new AccountLocks(db.redis, keys, 5000, await listen());
    const held = (await locks.acquire('tim', 'carol', 'job-0')) as Lease;
    const holding = Array.from({ length: HELD_IN_LINE }, (_, i) => locks.acquire('tim', 'carol', `job-${i + 1}`, 100 + i, Date.now(), { ms: 10_000 }));
    await waitFor('the held waiters to join the line', async () => (await locks.view('tim', 'carol')).waiters === HELD_IN_LINE, 2000);
    // Behind them: not held, answered with its place in line.
    expect(await locks.acquire('tim', 'carol', 'job-late', 900, Date.now(), { ms: 10_000 })).toEqual({ rank: HELD_IN_LINE });
    // Each release lets exactly one held waiter take the account; the others hold on.
    const pending = new Map(holding.map((taking, i) => [`job-${i + 1}`, taking.then((got) => ({ id: `job-${i + 1}`, got }))]));
    let lease = held;
    while (pending.size > 0) {
      await lease.release();
      const next = await Promise.race(pending.values());
      expect('release' in next.got).toBe(true);
      expect((await locks.view('tim', 'carol')).jobId).toBe(next.id);
      pending.delete(next.id);
      lease = next.got as Lease;
    }
    await lease.release();
  });

  it('a hold ends at its deadline with the account still busy, and at once when the worker stops', async () => {
    const releases = await listen();
    const locks = new AccountLocks(db.redis, keys, 5000, releases);
    const held = (await locks.acquire('tim', 'dave', 'job-1')) as Lease;
    expect(await locks.acquire('tim', 'dave', 'job-2', 200, Date.now(), { ms: 300 })).toEqual({ rank: 0 });
    const stopping = locks.acquire('tim', 'dave', 'job-2', 200, Date.now(), { ms: 60_000 });
    await new Promise((r) => setImmediate(r));
    const before = Date.now();
    releases.close();
    expect(await stopping).toEqual({ rank: 0 });
    expect(Date.now() - before).toBeLessThan(5000);
    await held.release();
  });

  it('lets at most `most` jobs of a process wait in place at once: the next is told its rank at once', async () => {
    const releases = new LockReleases(connectRedis(), keys.lockReleases(), undefined, 1);
    opened.push(releases);
    await releases.ready;
    const locks = new AccountLocks(db.redis, keys, 5000, releases);
    const heldA = (await locks.acquire('tim', 'fay', 'job-1')) as Lease;
    const heldB = (await locks.acquire('tim', 'gus', 'job-3')) as Lease;
    let onHold = false;
    const holding = locks.acquire('tim', 'fay', 'job-2', 200, Date.now(), { ms: 10_000, onHold: () => (onHold = true) });
    await waitFor('the first waiter to hold', () => onHold, 2000);
    // The one place this process has is taken: the next waiter does not hold.
    const started = Date.now();
    expect(await locks.acquire('tim', 'gus', 'job-4', 200, Date.now(), { ms: 10_000 })).toEqual({ rank: 0 });
    expect(Date.now() - started).toBeLessThan(2000);
    await heldA.release();
    expect(await holding).toHaveProperty('release');
    // Its wait over, the place is free again.
    const again = locks.acquire('tim', 'gus', 'job-4', 200, Date.now(), { ms: 10_000 });
    await heldB.release();
    expect(await again).toHaveProperty('release');
  });

  it('without a subscriber nothing is held: the caller is told its rank', async () => {
    const locks = new AccountLocks(db.redis, keys, 5000);
    const held = (await locks.acquire('tim', 'erin', 'job-1')) as Lease;
    expect(await locks.acquire('tim', 'erin', 'job-2', 200, Date.now(), { ms: 60_000 })).toEqual({ rank: 0 });
    await held.release();
  });
});
