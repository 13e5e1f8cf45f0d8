import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../../src/sim/tim/index.js';
import { Keys } from '../../../src/lib/keys.js';
import { AccountStates } from '../../../src/accounts/account-state.js';
import { CredentialSuspensions } from '../../../src/fleet/credential-suspensions.js';
import { waitFor } from '../../helpers/wait-for.js';
import { createHarness, TEST_SDKAPPID, type Harness } from '../../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../../helpers/tim-sim.js';

/** Account-wide answers: frequency, strikes, bans, the 100-confirmations split, an expired sig. */
describe('TIM account effects', () => {
  let sim: TimSimulator;
  let h: Harness;
  let accounts: AccountStates;
  let suspensions: CredentialSuspensions;

  beforeAll(async () => {
    sim = await startTestTimSim({ ratePerSec: 1000 });
    h = createHarness(
      'tim-effects',
      timEnv(sim, { STRIKE_BACKOFF_MS: 300, STRIKE_MAX_REPEATS: 2, STRIKE_LOCKOUT_MS: 60_000, RETRY_BASE_MS: 20, PROVIDER_RECHECK_MS: 500 }),
    );
    accounts = new AccountStates(h.redis, new Keys(h.prefix));
    suspensions = new CredentialSuspensions(h.redis, new Keys(h.prefix));
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

  it(`locks the account out after STRIKE_MAX_REPEATS strikes in a row: its targets and later jobs' end failed, with the lockout's end`, async () => {
    await h.input.add('tim', { requestId: 'strikes', fromAccount: 'acct_strikes', targets: timTargets(['strike9_t']) });
    const [result] = await h.results.waitForCount(1, 15_000, 'strikes');
    expect(result).toMatchObject({ outcome: 'failed', code: 30540, attempts: 0 });
    expect(result!.info).toMatch(/locked out after 2 strikes in a row until 20\d\d-.*move the work to another account/);
    expect(callsOf('acct_strikes')).toHaveLength(2);
    const account = await accounts.read('tim', 'acct_strikes');
    expect(account.lockedUntil - Date.now()).toBeGreaterThan(50_000);

    await h.input.add('tim', { requestId: 'strikes-later', fromAccount: 'acct_strikes', targets: timTargets(['ok_later']) });
    const [later] = await h.results.waitForCount(1, 15_000, 'strikes-later');
    expect(later).toMatchObject({ outcome: 'failed', code: 30540, attempts: 0 });
    expect(callsOf('acct_strikes')).toHaveLength(2);
  });

  it('a lockout ends by itself, or on resume, and the run of strikes starts again', async () => {
    const key = new Keys(h.prefix).account('tim', 'acct_lock_end');
    await h.redis.hset(key, 'lockedUntil', String(Date.now() - 1), 'lockedStrikes', '2', 'strikeCode', '30540');
    await h.input.add('tim', { requestId: 'lock-ended', fromAccount: 'acct_lock_end', targets: timTargets(['ok_le']) });
    expect((await h.results.waitForCount(1, 15_000, 'lock-ended'))[0]).toMatchObject({ outcome: 'added' });

    await h.redis.hset(key, 'lockedUntil', String(Date.now() + 3_600_000));
    await accounts.resume('tim', 'acct_lock_end');
    expect((await accounts.read('tim', 'acct_lock_end')).lockedUntil).toBe(0);
    await h.input.add('tim', { requestId: 'lock-resumed', fromAccount: 'acct_lock_end', targets: timTargets(['ok_lr']) });
    expect((await h.results.waitForCount(1, 15_000, 'lock-resumed'))[0]).toMatchObject({ outcome: 'added' });
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

  it('a repeated 30517 halves calls below 100 after a pause, and is bounded', async () => {
    sim.injectFault('30517', 3);
    const names = Array.from({ length: 10 }, (_, i) => `ok_split_${i}`);
    await h.input.add('tim', { requestId: 'split-again', fromAccount: 'acct_split', targets: timTargets(names) });
    const results = await h.results.waitForCount(10, 15_000, 'split-again');
    expect(results.every((r) => r.outcome === 'added' && r.attempts === 1)).toBe(true);
    expect(callsOf('acct_split').map((a) => a.count)).toEqual([10, 5, 2, ...Array(10).fill(1)]);
  });

  it('a 30517 on a one-target call counts as tried, so MAX_ATTEMPTS ends it', async () => {
    sim.injectFault('30517', h.config.maxAttempts);
    await h.input.add('tim', { requestId: 'split-one', fromAccount: 'acct_split1', targets: timTargets(['ok_s1']) });
    const [result] = await h.results.waitForCount(1, 15_000, 'split-one');
    expect(result).toMatchObject({ outcome: 'failed', code: 30517, attempts: h.config.maxAttempts });
    expect(callsOf('acct_split1')).toHaveLength(h.config.maxAttempts);
  });

  it('a UserSig that keeps expiring (70001) backs off, then suspends the credential until a probe passes', async () => {
    sim.injectFault('70001', h.config.maxAttempts);
    await h.input.add('tim', { requestId: 'sig-loop', fromAccount: 'acct_sigloop', targets: timTargets(['ok_sigloop']) });
    await waitFor('the credential suspended', async () => (await suspensions.list()).some((s) => String(s.code) === '70001'), 15_000, 10);
    const [result] = await h.results.waitForCount(1, 15_000, 'sig-loop');
    expect(result).toMatchObject({ outcome: 'added', attempts: 1 });
    const calls = callsOf('acct_sigloop');
    expect(calls.map((a) => a.rejected ?? 'ok')).toEqual([...Array(h.config.maxAttempts).fill('70001'), 'ok']);
    // The re-signs waited longer each time, and the probe came a recheck after the suspension.
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(500 - 5);
    expect(await suspensions.list()).toEqual([]);
  });

  it('70001 (expired UserSig) signs afresh and retries without using an attempt', async () => {
    sim.injectFault('70001', 1);
    await h.input.add('tim', { requestId: 'sig', fromAccount: 'acct_sig', targets: timTargets(['ok_sig']) });
    const [result] = await h.results.waitForCount(1, 15_000, 'sig');
    expect(result).toMatchObject({ outcome: 'added', attempts: 1 });
    expect(callsOf('acct_sig').map((a) => a.rejected ?? 'ok')).toEqual(['70001', 'ok']);
  });
});
