import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../../src/sim/tim/index.js';
import { Keys } from '../../../src/lib/keys.js';
import { createHarness, TEST_SDKAPPID, type Harness } from '../../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../../helpers/tim-sim.js';

/** Account-wide answers: frequency, strikes, bans, the 100-confirmations split, an expired sig. */
describe('TIM account effects', () => {
  let sim: TimSimulator;
  let h: Harness;

  beforeAll(async () => {
    sim = await startTestTimSim({ ratePerSec: 1000 });
    h = createHarness('tim-effects', timEnv(sim, { STRIKE_BACKOFF_MS: 300, STRIKE_MAX_REPEATS: 2, RETRY_BASE_MS: 20 }));
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  const callsOf = (account: string) => sim.arrivals().filter((a) => a.fromAccount === account);

  it('60007 halves the rate for all workers and retries without using an attempt', async () => {
    sim.injectFault('60007', 2);
    await h.input.add('tim', { requestId: 'freq', fromAccount: 'acct_freq', targets: timTargets(['ok_f1', 'ok_f2']) });
    const results = await h.results.waitForCount(2, 15_000, 'freq');
    expect(results.map((r) => [r.outcome, r.attempts])).toEqual([
      ['added', 1],
      ['added', 1],
    ]);
    expect(callsOf('acct_freq').map((a) => a.rejected ?? 'ok')).toEqual(['60007', '60007', 'ok']);
    const gate = await h.redis.hgetall(new Keys(h.prefix).timGate(TEST_SDKAPPID));
    expect(Number(gate.prate)).toBeLessThan(h.config.tim.ratePerSec);
  });

  it('rests a struck account, then calls its targets again without using an attempt', async () => {
    await h.input.add('tim', { requestId: 'strike', fromAccount: 'acct_strike', targets: timTargets(['strike1_s', 'ok_s']) });
    const results = await h.results.waitForCount(2, 15_000, 'strike');
    const byName = Object.fromEntries(results.map((r) => [r.target, [r.outcome, r.code, r.attempts]]));
    expect(byName).toEqual({ ok_s: ['added', 0, 1], strike1_s: ['added', 0, 1] });
    const calls = callsOf('acct_strike');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(300 - 5);
  });

  it(`ends targets failed with 30540 after STRIKE_MAX_REPEATS strikes in a row`, async () => {
    await h.input.add('tim', { requestId: 'strikes', fromAccount: 'acct_strikes', targets: timTargets(['strike9_t']) });
    const [result] = await h.results.waitForCount(1, 15_000, 'strikes');
    expect(result).toMatchObject({ outcome: 'failed', code: 30540, attempts: 0 });
    expect(callsOf('acct_strikes')).toHaveLength(2);
  });

  it('30545 refuses every open target of the account, and later jobs call no more', async () => {
    await h.input.add('tim', { requestId: 'banned', fromAccount: 'banned_1', targets: timTargets(['ok_b1', 'ok_b2']) });
    await h.results.waitForCount(2, 15_000, 'banned');
    await h.input.add('tim', { requestId: 'banned2', fromAccount: 'banned_1', targets: timTargets(['ok_b3']) });
    const later = await h.results.waitForCount(1, 15_000, 'banned2');
    const all = [...(await h.results.all()).filter((r) => r.account === 'banned_1')];
    expect(all.map((r) => [r.outcome, r.code])).toEqual(Array(3).fill(['refused', 30545]));
    expect(later[0]!.attempts).toBe(0);
    expect(callsOf('banned_1')).toHaveLength(1);
  });

  it('30517 splits the call into calls of at most 100 without using an attempt', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `confirm_${i}`);
    await h.input.add('tim', { requestId: 'confirm', fromAccount: 'acct_confirm', targets: timTargets(names) });
    const results = await h.results.waitForCount(150, 15_000, 'confirm');
    expect(results.every((r) => r.outcome === 'requested' && r.attempts === 1)).toBe(true);
    expect(callsOf('acct_confirm').map((a) => a.count)).toEqual([150, 100, 50]);
  });

  it('70001 (expired UserSig) signs afresh and retries without using an attempt', async () => {
    sim.injectFault('70001', 1);
    await h.input.add('tim', { requestId: 'sig', fromAccount: 'acct_sig', targets: timTargets(['ok_sig']) });
    const [result] = await h.results.waitForCount(1, 15_000, 'sig');
    expect(result).toMatchObject({ outcome: 'added', attempts: 1 });
    expect(callsOf('acct_sig').map((a) => a.rejected ?? 'ok')).toEqual(['70001', 'ok']);
  });
});
