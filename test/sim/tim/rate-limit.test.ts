import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { preciseNow } from '../../../src/sim/shared/precise-now.js';
import { maxInSlidingWindow, startTimSimulator, type TimSimulator } from '../../../src/sim/tim/index.js';
import { APP, KEY, addBody, callTim, waitFor } from './helpers.js';

describe('rate limit per SDKAppID in any sliding second', () => {
  let sim: TimSimulator;

  beforeAll(async () => {
    sim = await startTimSimulator({ sdkAppId: APP, secretKey: KEY, ratePerSec: 5, latencyMs: 0 });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  const windowDrained = () => {
    const last = sim.arrivals().at(-1)?.at ?? 0;
    return waitFor(() => preciseNow() - last > 1000, 'the sliding second to pass', 3000);
  };

  it('refuses calls over ratePerSec with 60007, logs them, and records rate violations', async () => {
    const replies = [];
    for (let i = 0; i < 8; i++) replies.push(await callTim(sim.url, addBody(`acct${i}`, ['ok1'])));
    const arrivals = sim.arrivals();
    // The eight calls take far less than a second here; check it rather than assume it.
    expect(arrivals.at(-1)!.at - arrivals[0]!.at).toBeLessThan(1000);
    expect(replies.map((r) => r.json.ErrorCode)).toEqual([0, 0, 0, 0, 0, 60007, 60007, 60007]);
    expect(replies[5]!.json).toMatchObject({ ActionStatus: 'FAIL', ErrorInfo: 'REST API call frequency exceeds the limit' });
    expect(arrivals.map((a) => a.rejected)).toEqual([undefined, undefined, undefined, undefined, undefined, '60007', '60007', '60007']);
    expect(sim.violations()).toMatchObject([
      { kind: 'rate', fromAccount: 'acct5' },
      { kind: 'rate', fromAccount: 'acct6' },
      { kind: 'rate', fromAccount: 'acct7' },
    ]);
    expect(maxInSlidingWindow(arrivals.map((a) => a.at))).toBe(8);
    expect(sim.stats()).toMatchObject({ maxInWindow: 8, rejected: { '60007': 3 }, violations: { rate: 3, overlap: 0 } });
  });

  it('serves again once the sliding second has passed', async () => {
    for (let i = 0; i < 6; i++) await callTim(sim.url, addBody('alice', [`ok${i}`]));
    expect(sim.arrivals().at(-1)?.rejected).toBe('60007');
    await windowDrained();
    expect((await callTim(sim.url, addBody('alice', ['ok_again']))).json.ErrorCode).toBe(0);
  });

  it('counts refused calls too (TIM counts the calls it receives)', async () => {
    await windowDrained();
    for (let i = 0; i < 5; i++) await callTim(sim.url, addBody('alice', ['x']), { query: { usersig: 'bad' } });
    expect(sim.arrivals().every((a) => a.rejected === '70003')).toBe(true);
    expect((await callTim(sim.url, addBody('alice', ['ok1']))).json.ErrorCode).toBe(60007);
  });

  it('keeps one window per SDKAppID', async () => {
    await windowDrained();
    for (let i = 0; i < 5; i++) await callTim(sim.url, addBody('alice', [`ok${i}`]));
    // Another app's calls fall in another window (and are refused for their sdkappid).
    const other = await callTim(sim.url, addBody('alice', ['ok1']), { query: { sdkappid: '1400000001' } });
    expect(other.json.ErrorCode).toBe(60006);
    expect(sim.violations()).toEqual([]);
  });
});
