import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { Keys } from '../../src/lib/keys.js';
import { AccountStates } from '../../src/accounts/account-state.js';
import { AccountLocks } from '../../src/accounts/account-lock.js';
import { GeweRegistry } from '../../src/accounts/gewe-registry.js';
import { GewePacer } from '../../src/pacing/gewe-pacer.js';
import { systemClock } from '../../src/lib/clock.js';
import { buildTestApi } from './api-helpers.js';
import { sameForBothTiers } from '../helpers/tier-intervals.js';

const HOUR = 3600_000;

describe('API: account state (GET /v1/accounts/{provider}/{account}, GET /v1/accounts)', () => {
  let h: Harness;
  let app: FastifyInstance;
  let states: AccountStates;
  const t0 = Date.now();

  beforeAll(async () => {
    h = createHarness('api-account-state');
    app = await buildTestApi(h);
    const keys = new Keys(h.prefix);
    states = new AccountStates(h.redis, keys, { maxRepeats: 3, lockoutMs: 24 * HOUR });
    // resting: one strike (10 min); locked: three in a row; parked and paused GeWe accounts.
    await states.strike('tim', 'rest_1', 600_000, 30540, t0);
    for (let i = 0; i < 3; i += 1) await states.strike('tim', 'lock_1', 600_000, 30540, t0);
    // A job holds the paused GeWe account's lease: taken before the pause (a call in flight when
    // an operator paused it), since a paused account's lease is not given out.
    const lease = await new AccountLocks(h.redis, keys, 5000).acquire('gewe', 'wx_paused', 'job-7', t0);
    expect('release' in lease).toBe(true);
    await states.park('gewe', 'wx_parked', 'offline: 设备已离线', t0 - 5000);
    await states.pause('gewe', 'wx_paused', t0 - 1000);
    await states.pause('tim', 'pause_1', t0 - 2000);
    await states.strike('tim', 'rested_long_ago', 1, 30540, t0 - HOUR);
    // The paused GeWe account is registered and made an add today.
    await new GeweRegistry(h.redis, keys, 72 * HOUR).setOnlineSince('wx_paused', new Date(t0 - 100 * HOUR));
    const pacer = new GewePacer(h.redis, keys, h.config.gewe.timeZone, systemClock);
    expect((await pacer.begin('wx_paused', 'job-a-1', 1000, 'add', 15)).kind).toBe('ok');
    await pacer.reserve('wx_paused', 'job-b-1', 'add', sameForBothTiers(900_000), 0);
    await new GeweRegistry(h.redis, keys, 72 * HOUR).tierOf('wx_new', t0);
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('shows a resting account: until when, strikes in a row, the code', async () => {
    const v = await get('/v1/accounts/tim/rest_1');
    expect(v).toMatchObject({
      provider: 'tim',
      account: 'rest_1',
      states: ['resting'],
      strikes: 1,
      strikeCode: 30540,
      lockedUntil: null,
      paused: false,
      parked: false,
    });
    expect(Date.parse(v.restUntil)).toBe(t0 + 600_000);
    expect(v.lease).toEqual({ held: false, jobId: null, until: null, waiters: 0 });
  });

  it('shows a locked account: until when, and the strikes that locked it', async () => {
    const v = await get('/v1/accounts/tim/lock_1');
    expect(v).toMatchObject({ states: ['locked'], lockedStrikes: 3, restUntil: null, strikes: 0 });
    expect(Date.parse(v.lockedUntil)).toBe(t0 + 24 * HOUR);
  });

  it('shows a parked account with why and since when', async () => {
    const v = await get('/v1/accounts/gewe/wx_parked');
    expect(v).toMatchObject({ states: ['parked'], parked: true, parkedReason: 'offline: 设备已离线', paused: false });
    expect(Date.parse(v.parkedSince)).toBe(t0 - 5000);
    expect(v.gewe).toMatchObject({ onlineSince: null, tier: 'new' });
  });

  it("shows a paused GeWe account: since when, who holds its lease, today's caps, its lanes", async () => {
    const v = await get('/v1/accounts/gewe/wx_paused');
    expect(v).toMatchObject({ states: ['paused'], paused: true, pausedSince: new Date(t0 - 1000).toISOString() });
    expect(v.lease).toMatchObject({ held: true, jobId: 'job-7', waiters: 0 });
    expect(Date.parse(v.lease.until)).toBeGreaterThan(Date.now());
    expect(v.gewe).toMatchObject({ tier: 'seasoned', reservations: 1, onlineSince: new Date(t0 - 100 * HOUR).toISOString() });
    expect(v.gewe.lanes.add).toMatchObject({ usedToday: 1, capToday: h.config.gewe.dailyCap, intervalMs: h.config.gewe.intervalMs });
    expect(Date.parse(v.gewe.lanes.add.nextSendAt)).toBe(Date.parse(v.gewe.lanes.add.lastSentAt) + h.config.gewe.intervalMs);
    expect(v.gewe.lanes.accept).toMatchObject({ usedToday: 0, capToday: h.config.gewe.dailyCapAccept, lastSentAt: null });
  });

  it('shows an account nobody touched as free, and answers 400 for an unknown provider', async () => {
    expect(await get('/v1/accounts/tim/nobody')).toMatchObject({ states: [], strikes: 0, restUntil: null, heldJobs: 0 });
    const bad = await app.inject({ method: 'GET', url: '/v1/accounts/wechat/x' });
    expect([bad.statusCode, bad.json().field]).toEqual([400, 'provider']);
  });

  it('lists accounts by state and provider; an ended rest is not listed', async () => {
    const names = async (query: string) => (await get(`/v1/accounts?${query}`)).accounts.map((a: { account: string }) => a.account);
    expect(await names('state=resting')).toEqual(['rest_1']);
    expect(await names('state=locked&provider=tim')).toEqual(['lock_1']);
    expect(await names('state=parked')).toEqual(['wx_parked']);
    expect(await names('state=paused')).toEqual(['pause_1', 'wx_paused']);
    expect(await names('state=paused&provider=gewe')).toEqual(['wx_paused']);
    expect(await names('provider=&state=paused')).toEqual(['pause_1', 'wx_paused']);
    expect(await names('state=unregistered')).toEqual(['wx_new']);
    const one = (await get('/v1/accounts?state=resting')).accounts[0];
    expect(one).toEqual({ provider: 'tim', account: 'rest_1', state: 'resting', until: new Date(t0 + 600_000).toISOString() });
  });

  it('pages: offset and limit over every state, with the next offset', async () => {
    const all = await get('/v1/accounts');
    expect(all.total).toBe(6);
    const seen: string[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const page = await get(`/v1/accounts?limit=2&offset=${offset}`);
      expect(page.accounts.length).toBeLessThanOrEqual(2);
      seen.push(...page.accounts.map((a: { state: string; account: string }) => `${a.state}:${a.account}`));
      offset = page.nextOffset;
    }
    expect(seen).toEqual(all.accounts.map((a: { state: string; account: string }) => `${a.state}:${a.account}`));
    const bad = await app.inject({ method: 'GET', url: '/v1/accounts?state=sleeping' });
    expect([bad.statusCode, bad.json().field]).toEqual([400, 'state']);
  });

  it('resume takes an account out of every index', async () => {
    await app.inject({ method: 'POST', url: '/v1/accounts/tim/lock_1/resume' });
    await app.inject({ method: 'POST', url: '/v1/accounts/tim/pause_1/resume' });
    expect((await get('/v1/accounts?provider=tim')).accounts.map((a: { account: string }) => a.account)).toEqual(['rest_1']);
    expect((await get('/v1/accounts/tim/lock_1')).states).toEqual([]);
  });
});
