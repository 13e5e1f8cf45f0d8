import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../../src/lib/redis-client.js';
import { configWith } from '../../../src/config/load.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { Keys } from '../../../src/lib/keys.js';
import { GewePacer } from '../../../src/pacing/gewe-pacer.js';
import { GeweRegistry } from '../../../src/accounts/gewe-registry.js';
import { awaitSlot, beginSend, paceFor } from '../../../src/worker/gewe/gewe-pace.js';
import type { GeweProcessorDeps } from '../../../src/worker/gewe/gewe-context.js';
import { Wait } from '../../../src/worker/wait.js';
import { connectRedis, deletePrefix, testPrefix } from '../../helpers/redis.js';

const SH_2300 = Date.parse('2026-11-26T15:00:00Z'); // 23:00 in Shanghai
const SH_MIDNIGHT = Date.parse('2026-11-26T16:00:00Z');

/** The waits a GeWe job is given, computed on an injected clock (BullMQ's delays are not waited for). */
describe('GeWe waits for caps and active hours', () => {
  let redis: RedisClient;
  const prefix = testPrefix('gewe-pace');

  beforeAll(() => {
    redis = connectRedis();
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  function depsAt(ms: number, env: Record<string, string | number> = {}) {
    const config = configWith({ QUEUE_PREFIX: prefix, GEWE_JITTER: 0, GEWE_DAILY_CAP_NEW: 2, ...env });
    const clock = fixedClock(ms);
    const keys = new Keys(prefix);
    const deps = {
      config,
      clock,
      pacer: new GewePacer(redis, keys, config.gewe.timeZone, clock),
      registry: new GeweRegistry(redis, keys, config.gewe.newAccountMs),
    } as unknown as GeweProcessorDeps;
    return { deps, clock };
  }
  const job = (appId: string, i: number) => ({ appId, scene: 3, option: 2 as const, v3: `v3_${i}`, v4: 'v4', content: '' });
  const ref = (i: number) => ({ stateId: `s${i}`, jobId: `j${i}`, requestId: 'r', provider: 'gewe' as const, account: 'x' });

  async function waitOf(promise: Promise<unknown>): Promise<Wait> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Wait);
    return err as Wait;
  }

  it('sends a job over its daily cap to the next midnight in Asia/Shanghai', async () => {
    const { deps } = depsAt(SH_2300, { GEWE_NEW_INTERVAL_MS: 0 });
    const pace = await paceFor(job('wx_cap', 0), deps);
    expect(pace).toEqual({ intervalMs: 0, cap: 2, kind: 'add' });
    await beginSend(job('wx_cap', 0), ref(0), pace, deps);
    await beginSend(job('wx_cap', 1), ref(1), pace, deps);
    const wait = await waitOf(beginSend(job('wx_cap', 2), ref(2), pace, deps));
    expect(wait.untilMs).toBe(SH_MIDNIGHT);
    expect(wait.reason).toMatch(/daily cap of 2/);
  });

  it('sends a job outside the active hours to the next opening', async () => {
    const { deps } = depsAt(SH_2300, { GEWE_ACTIVE_HOURS: '09:00-22:00' });
    const wait = await waitOf(awaitSlot(job('wx_hours', 0), ref(10), 0, deps));
    expect(wait.untilMs).toBe(Date.parse('2026-11-27T01:00:00Z')); // 09:00 in Shanghai
  });

  it('gives a job its reserved slot, one tier interval after the one before', async () => {
    const { deps, clock } = depsAt(SH_2300, { GEWE_NEW_INTERVAL_MS: 60_000 });
    expect(await awaitSlot(job('wx_slot', 0), ref(20), 0, deps)).toEqual({ intervalMs: 60_000, cap: 2, kind: 'add' });
    const wait = await waitOf(awaitSlot(job('wx_slot', 1), ref(21), 0, deps));
    expect(wait.untilMs).toBe(clock.now() + 60_000);
  });

  it('paces an unregistered account as new and a registered old one as seasoned', async () => {
    const { deps } = depsAt(SH_2300);
    expect((await paceFor(job('wx_unknown', 0), deps)).intervalMs).toBe(deps.config.gewe.newIntervalMs);
    expect(await deps.registry.listUnregistered()).toContain('wx_unknown');
    await deps.registry.setOnlineSince('wx_veteran', new Date(SH_2300 - 4 * 24 * 3600_000));
    expect(await paceFor(job('wx_veteran', 0), deps)).toMatchObject({ intervalMs: deps.config.gewe.intervalMs, cap: 15 });
    // The pace a call is sent at is the one of the tier read with its slot.
    expect(await awaitSlot(job('wx_veteran', 0), ref(50), 0, deps)).toMatchObject({ intervalMs: deps.config.gewe.intervalMs, cap: 15 });
    expect(await awaitSlot(job('wx_unknown', 0), ref(51), 0, deps)).toMatchObject({ intervalMs: deps.config.gewe.newIntervalMs, cap: 2 });
  });

  it('paces accepts and rejects by GEWE_ACCEPT_INTERVAL_MS in their own lane, whatever the tier', async () => {
    const { deps, clock } = depsAt(SH_2300, { GEWE_NEW_INTERVAL_MS: 1_200_000, GEWE_ACCEPT_INTERVAL_MS: 120_000, GEWE_DAILY_CAP_ACCEPT: 7 });
    const accept = (i: number) => ({ ...job('wx_lane', i), option: 3 as const, scene: 6 });
    expect(await paceFor(accept(0), deps)).toEqual({ intervalMs: 120_000, cap: 7, kind: 'accept' });
    expect(await paceFor({ ...accept(0), option: 4 }, deps)).toEqual({ intervalMs: 120_000, cap: 7, kind: 'accept' });
    // Three adds queued: the last one's turn is 40 minutes away.
    for (let i = 0; i < 3; i++) await awaitSlot(job('wx_lane', i), ref(30 + i), 0, deps).catch(() => undefined);
    await expect(awaitSlot(accept(9), ref(39), 0, deps)).resolves.toEqual({ intervalMs: 120_000, cap: 7, kind: 'accept' });
    const wait = await waitOf(awaitSlot(accept(10), ref(40), 0, deps));
    expect(wait.untilMs).toBe(clock.now() + 120_000);
  });
});
