import { describe, expect, it } from 'vitest';
import { GewePacer } from '../../src/pacing/gewe-pacer.js';
import { fixedClock } from '../../src/lib/clock.js';
import { useRedisPrefix } from '../helpers/redis-prefix.js';
import { GeweRegistry } from '../../src/accounts/gewe-registry.js';
import { sameForBothTiers } from '../helpers/tier-intervals.js';

const HOUR = 3600_000;

describe('GeWe pacer state in Redis, on an injected clock', () => {
  const db = useRedisPrefix('pacer');
  const { keys } = db;

  it('reserves slots in arrival order, an interval apart, and returns the same slot when asked again', async () => {
    const clock = fixedClock(Date.parse('2026-11-26T02:00:00Z'));
    const pacer = new GewePacer(db.redis, keys, 'Asia/Shanghai', clock, () => 0);
    const t0 = clock.now();
    expect((await pacer.reserve('wx_r', 'job-a', 'add', sameForBothTiers(1000), 0.5)).slot).toBe(t0);
    expect((await pacer.reserve('wx_r', 'job-b', 'add', sameForBothTiers(1000), 0.5)).slot).toBe(t0 + 1000);
    expect((await pacer.reserve('wx_r', 'job-a', 'add', sameForBothTiers(1000), 0.5)).slot).toBe(t0);
    // Not before a retry's backoff.
    expect((await pacer.reserve('wx_r', 'job-c', 'add', sameForBothTiers(1000), 0.5, t0 + 60_000)).slot).toBe(t0 + 60_000);
  });

  it('adds random extra spacing up to the jitter fraction', async () => {
    const clock = fixedClock(Date.parse('2026-11-26T02:00:00Z'));
    const pacer = new GewePacer(db.redis, keys, 'Asia/Shanghai', clock, () => 0.999);
    const t0 = (await pacer.reserve('wx_j', 'a', 'add', sameForBothTiers(1000), 0.5)).slot;
    expect((await pacer.reserve('wx_j', 'b', 'add', sameForBothTiers(1000), 0.5)).slot - t0).toBe(1499);
  });

  it("reads the account's tier with the reservation, spaces by its interval, and notes an account nobody registered", async () => {
    const clock = fixedClock(Date.parse('2026-11-26T02:00:00Z'));
    const pacer = new GewePacer(db.redis, keys, 'Asia/Shanghai', clock, () => 0);
    const registry = new GeweRegistry(db.redis, keys, 72 * HOUR);
    const t0 = clock.now();
    const intervals = { newMs: 60_000, seasonedMs: 1000, seasonedIfOnlineBy: registry.seasonedIfOnlineBy(t0) };
    await registry.setOnlineSince('wx_old', new Date(t0 - 96 * HOUR));
    await registry.setOnlineSince('wx_young', new Date(t0 - HOUR));
    for (const [appId, tier, interval] of [
      ['wx_old', 'seasoned', 1000],
      ['wx_young', 'new', 60_000],
      ['wx_nobody', 'new', 60_000],
    ] as const) {
      expect(await pacer.reserve(appId, 'a', 'add', intervals, 0)).toEqual({ slot: t0, tier });
      expect(await pacer.reserve(appId, 'b', 'add', intervals, 0)).toEqual({ slot: t0 + interval, tier });
    }
    const unregistered = await registry.listUnregistered();
    expect(unregistered).toContain('wx_nobody');
    expect(unregistered).not.toContain('wx_old');
    expect(unregistered).not.toContain('wx_young');
  });

  it('refuses a send closer than the interval to the last one, and says how long to wait', async () => {
    const clock = fixedClock(Date.parse('2026-11-26T02:00:00Z'));
    const pacer = new GewePacer(db.redis, keys, 'Asia/Shanghai', clock);
    expect(await pacer.begin('wx_s', 'a', 1000, 'add', 10)).toEqual({ kind: 'ok', countToday: 1 });
    clock.advance(400);
    expect(await pacer.begin('wx_s', 'b', 1000, 'add', 10)).toEqual({ kind: 'early', waitMs: 600 });
  });

  it('marks the job in flight with the send it records, and only then', async () => {
    const clock = fixedClock(Date.parse('2026-11-26T02:00:00Z'));
    const pacer = new GewePacer(db.redis, keys, 'Asia/Shanghai', clock);
    const markJob = { ttlMs: 60_000 };
    expect((await pacer.begin('wx_f', 'job-1', 1000, 'add', 1, markJob)).kind).toBe('ok');
    expect(await db.redis.hget(keys.job('job-1'), 'inFlight')).toBe('1');
    expect(await db.redis.pttl(keys.job('job-1'))).toBeGreaterThan(50_000);
    // Too early, then over the cap: no send recorded, no mark.
    expect((await pacer.begin('wx_f', 'job-2', 1000, 'add', 1, markJob)).kind).toBe('early');
    clock.advance(1000);
    expect((await pacer.begin('wx_f', 'job-2', 1000, 'add', 1, markJob)).kind).toBe('cap');
    expect(await db.redis.exists(keys.job('job-2'))).toBe(0);
    // Without markJob the job's state is not touched.
    expect((await pacer.begin('wx_f2', 'job-3', 1000, 'add', 1)).kind).toBe('ok');
    expect(await db.redis.exists(keys.job('job-3'))).toBe(0);
  });

  it('counts adds and accepts apart against their daily caps, and starts again at local midnight', async () => {
    // 23:00 in Shanghai.
    const clock = fixedClock(Date.parse('2026-11-26T15:00:00Z'));
    const pacer = new GewePacer(db.redis, keys, 'Asia/Shanghai', clock);
    for (let i = 0; i < 3; i++) {
      expect((await pacer.begin('wx_c', `add-${i}`, 0, 'add', 3)).kind).toBe('ok');
    }
    expect(await pacer.begin('wx_c', 'add-3', 0, 'add', 3)).toEqual({ kind: 'cap', countToday: 3 });
    expect((await pacer.begin('wx_c', 'accept-0', 0, 'accept', 200)).kind).toBe('ok');
    clock.set(Date.parse('2026-11-26T16:00:00Z')); // midnight in Shanghai
    expect(await pacer.begin('wx_c', 'add-3', 0, 'add', 3)).toEqual({ kind: 'ok', countToday: 1 });
  });

  it('keeps spacing through a deleted pacing hash, from the last send on the account', async () => {
    const clock = fixedClock(Date.parse('2026-11-26T02:00:00Z'));
    const pacer = new GewePacer(db.redis, keys, 'Asia/Shanghai', clock);
    expect((await pacer.begin('wx_d', 'a', 1000, 'add', 10)).kind).toBe('ok');
    await db.redis.del(keys.gewePace('wx_d'));
    clock.advance(100);
    expect(await pacer.begin('wx_d', 'b', 1000, 'add', 10)).toEqual({ kind: 'early', waitMs: 900 });
    expect((await pacer.reserve('wx_d', 'c', 'add', sameForBothTiers(1000), 0)).slot).toBe(clock.now() + 900);
  });

  it('gives accepts a lane of their own: a backlog of adds does not move an accept', async () => {
    const clock = fixedClock(Date.parse('2026-11-26T02:00:00Z'));
    const pacer = new GewePacer(db.redis, keys, 'Asia/Shanghai', clock, () => 0);
    const t0 = clock.now();
    for (let i = 0; i < 50; i++) expect((await pacer.reserve('wx_l', `add-${i}`, 'add', sameForBothTiers(900_000), 0)).slot).toBe(t0 + i * 900_000);
    expect((await pacer.reserve('wx_l', 'acc-0', 'accept', sameForBothTiers(120_000), 0)).slot).toBe(t0);
    expect((await pacer.reserve('wx_l', 'acc-1', 'accept', sameForBothTiers(120_000), 0)).slot).toBe(t0 + 120_000);
    // The adds' lane did not move for them.
    expect((await pacer.reserve('wx_l', 'add-50', 'add', sameForBothTiers(900_000), 0)).slot).toBe(t0 + 50 * 900_000);
  });

  it('measures spacing between sends of one lane only', async () => {
    const clock = fixedClock(Date.parse('2026-11-26T02:00:00Z'));
    const pacer = new GewePacer(db.redis, keys, 'Asia/Shanghai', clock);
    expect((await pacer.begin('wx_m', 'add-0', 900_000, 'add', 10)).kind).toBe('ok');
    await pacer.finished('wx_m', 'add');
    clock.advance(10);
    // An add a moment ago does not hold up an accept...
    expect((await pacer.begin('wx_m', 'acc-0', 120_000, 'accept', 200)).kind).toBe('ok');
    await pacer.finished('wx_m', 'accept');
    clock.advance(10);
    // ...but the accept lane is spaced by its own interval, and the add lane by its own.
    expect(await pacer.begin('wx_m', 'acc-1', 120_000, 'accept', 200)).toEqual({ kind: 'early', waitMs: 120_000 - 10 });
    expect(await pacer.begin('wx_m', 'add-1', 900_000, 'add', 10)).toEqual({ kind: 'early', waitMs: 900_000 - 20 });
  });

  it('keeps each lane spaced through a deleted pacing hash, from its last send on the account', async () => {
    const clock = fixedClock(Date.parse('2026-11-26T02:00:00Z'));
    const pacer = new GewePacer(db.redis, keys, 'Asia/Shanghai', clock);
    expect((await pacer.begin('wx_ld', 'acc-0', 1000, 'accept', 10)).kind).toBe('ok');
    await db.redis.del(keys.gewePace('wx_ld'));
    clock.advance(100);
    expect(await pacer.begin('wx_ld', 'acc-1', 1000, 'accept', 10)).toEqual({ kind: 'early', waitMs: 900 });
    expect((await pacer.reserve('wx_ld', 'acc-2', 'accept', sameForBothTiers(1000), 0)).slot).toBe(clock.now() + 900);
    // The add lane never sent: free now.
    expect((await pacer.reserve('wx_ld', 'add-0', 'add', sameForBothTiers(1000), 0)).slot).toBe(clock.now());
  });
});
