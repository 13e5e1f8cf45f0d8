import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTimSimulator, type TimSimulator } from '../../../src/sim/tim/index.js';
import { APP, KEY, addBody, callTim, codesOf, waitFor } from './helpers.js';

describe('target and account names', () => {
  let sim: TimSimulator;
  const add = (from: string, targets: string[]) => callTim(sim.url, addBody(from, targets));

  beforeAll(async () => {
    sim = await startTimSimulator({ sdkAppId: APP, secretKey: KEY, latencyMs: 0 });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  it('answers each per-item name with its code, in one call', async () => {
    const reply = await add('alice', ['ok1', 'pending1', 'friend1', 'black1', 'deny1', 'unknown1', 'someone', 'slow0_x']);
    expect(codesOf(reply)).toEqual({
      ok1: 0,
      pending1: 30539,
      friend1: 30520,
      black1: 30515,
      deny1: 30516,
      unknown1: 39999,
      someone: 0,
      slow0_x: 0,
    });
    expect(reply.json.ResultItem?.find((r) => r.To_Account === 'unknown1')?.ResultInfo).toBe('mystery');
    expect(reply.json.Fail_Account).toEqual(['pending1', 'friend1', 'black1', 'deny1', 'unknown1']);
    expect(reply.json).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
  });

  it('answers exist… with per-item 30001 Err_SNS_FriendAdd_Friend_Exist', async () => {
    const reply = await add('alice', ['exist1']);
    expect(reply.json.ResultItem).toEqual([{ To_Account: 'exist1', ResultCode: 30001, ResultInfo: 'Err_SNS_FriendAdd_Friend_Exist' }]);
  });

  it('lists noacct… in Invalid_Account only', async () => {
    const reply = await add('alice', ['ok2', 'noacct1']);
    expect(reply.json.ResultItem?.map((r) => r.To_Account)).toEqual(['ok2']);
    expect(reply.json.Invalid_Account).toEqual(['noacct1']);
    expect(reply.json.Fail_Account).toEqual([]);
  });

  it('remembers friendships and pending requests per pair', async () => {
    expect(codesOf(await add('alice', ['ok3', 'pending3']))).toEqual({ ok3: 0, pending3: 30539 });
    expect(codesOf(await add('alice', ['ok3', 'pending3']))).toEqual({ ok3: 30520, pending3: 30539 });
    // Another From_Account is another pair.
    expect(codesOf(await add('bob', ['ok3']))).toEqual({ ok3: 0 });
    // A target named twice in one call: the second sees the first.
    expect(codesOf(await add('carol', ['ok4', 'ok4']))).toEqual({ ok4: 30520 });
    expect((await add('dave', ['ok4', 'ok4'])).json.ResultItem?.map((r) => r.ResultCode)).toEqual([0, 30520]);
  });

  it('omits missing… the first time, then adds it', async () => {
    const first = await add('alice', ['ok5', 'missing1']);
    expect(first.json.ResultItem?.map((r) => r.To_Account)).toEqual(['ok5']);
    expect(first.json.Invalid_Account).toEqual([]);
    expect(codesOf(await add('alice', ['missing1']))).toEqual({ missing1: 0 });
    expect(codesOf(await add('alice', ['missing1']))).toEqual({ missing1: 30520 });
  });

  it.each([
    ['transient2_bob', 30505, 2],
    ['conflict1_bob', 30544, 1],
    ['task3_bob', 30543, 3],
    ['strike2_bob', 30540, 2],
  ])('answers %s with %i for the first calls of the pair, then 0', async (name, code, times) => {
    for (let i = 0; i < times; i++) expect(codesOf(await add('alice', [name]))).toEqual({ [name]: code });
    expect(codesOf(await add('alice', [name]))).toEqual({ [name]: 0 });
    expect(codesOf(await add('alice', [name]))).toEqual({ [name]: 30520 });
    // The count is per pair.
    expect(codesOf(await add('bob', [name]))).toEqual({ [name]: code });
  });

  it('adds slow<MS>_… after MS more ms', async () => {
    const started = performance.now();
    const reply = await add('alice', ['slow150_x', 'ok6']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(codesOf(reply)).toEqual({ slow150_x: 0, ok6: 0 });
  });

  it('refuses a call with more than 100 confirm… targets (30517), else leaves them pending', async () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `confirm${i}`);
    const tooMany = await add('alice', [...names(101), 'ok7']);
    expect(tooMany.json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 30517 });
    const hundred = await add('alice', [...names(100), 'ok7']);
    expect(hundred.json.ErrorCode).toBe(0);
    expect(new Set(hundred.json.ResultItem?.slice(0, 100).map((r) => r.ResultCode))).toEqual(new Set([30539]));
    expect(codesOf(hundred).ok7).toBe(0);
  });

  it('refuses banned… accounts with 30545 every time', async () => {
    for (let i = 0; i < 2; i++) {
      const reply = await add('banned_eve', ['ok8']);
      expect(reply.json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 30545 });
    }
    expect(sim.arrivals().map((a) => a.rejected)).toEqual(['30545', '30545']);
  });

  it('strikes strikeall… accounts whole once (30540), then serves them', async () => {
    expect((await add('strikeall_zed', ['ok9'])).json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 30540 });
    expect(codesOf(await add('strikeall_zed', ['ok9']))).toEqual({ ok9: 0 });
    expect((await add('strikeall_other', ['ok9'])).json.ErrorCode).toBe(30540);
  });

  it('never answers a call with a hang… target, until the client gives up', async () => {
    const call = callTim(sim.url, addBody('alice', ['ok10', 'hang1']), { signal: AbortSignal.timeout(300) });
    await expect(call).rejects.toThrow(/abort|timeout/i);
    expect(sim.arrivals()).toMatchObject([{ fromAccount: 'alice', count: 2 }]);
    expect(sim.arrivals()[0]?.rejected).toBeUndefined();
    // Giving up frees the account: its next call is not an overlap.
    await waitFor(() => sim.stats().inFlight === 0, 'the hanging call to be released');
    expect(codesOf(await add('alice', ['ok10']))).toEqual({ ok10: 0 });
    expect(sim.violations()).toEqual([]);
  });
});
