import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { preciseNow } from '../../../src/sim/shared/precise-now.js';
import { startTimSimulator, type TimSimulator } from '../../../src/sim/tim/index.js';
import { APP, KEY, addBody, callTim, waitFor } from './helpers.js';

describe('arrival log', () => {
  let sim: TimSimulator;

  beforeAll(async () => {
    sim = await startTimSimulator({ sdkAppId: APP, secretKey: KEY, latencyMs: 0 });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  it('records when each call arrived, its account, its target count and its app', async () => {
    const before = preciseNow();
    await callTim(sim.url, addBody('alice', ['ok1', 'ok2', 'ok3']));
    const between = preciseNow();
    await callTim(sim.url, addBody('bob', ['ok1']), { query: { usersig: 'broken' } });
    const after = preciseNow();
    const [first, second] = sim.arrivals();
    expect(first).toEqual({ at: expect.any(Number), fromAccount: 'alice', count: 3, sdkAppId: String(APP) });
    expect(second).toEqual({ at: expect.any(Number), fromAccount: 'bob', count: 1, sdkAppId: String(APP), rejected: '70003' });
    expect(first!.at).toBeGreaterThanOrEqual(before);
    expect(first!.at).toBeLessThanOrEqual(between);
    expect(second!.at).toBeGreaterThanOrEqual(between);
    expect(second!.at).toBeLessThanOrEqual(after);
    // Sub-millisecond precision, on the epoch scale.
    expect(Math.abs(first!.at - Date.now())).toBeLessThan(5000);
  });

  it('records a call the client abandoned before its answer', async () => {
    await expect(callTim(sim.url, addBody('carol', ['hang1']), { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(sim.arrivals()).toMatchObject([{ fromAccount: 'carol', count: 1 }]);
    await waitFor(() => sim.stats().inFlight === 0, 'the abandoned call to be released');
  });

  it('counts calls, targets and item codes in stats()', async () => {
    await callTim(sim.url, addBody('alice', ['ok1', 'pending1', 'noacct1']));
    await callTim(sim.url, addBody('banned_x', ['ok1']));
    expect(sim.stats()).toMatchObject({
      calls: 2,
      targets: 4,
      rejected: { '30545': 1 },
      items: { '0': 1, '30539': 1, invalid: 1 },
      violations: { overlap: 0, rate: 0 },
      inFlight: 0,
      faultsPending: 0,
    });
  });

  it('reset() clears the logs, the counters and the friendships', async () => {
    await callTim(sim.url, addBody('alice', ['ok1']));
    sim.reset();
    expect(sim.arrivals()).toEqual([]);
    expect(sim.violations()).toEqual([]);
    expect(sim.stats().calls).toBe(0);
    expect((await callTim(sim.url, addBody('alice', ['ok1']))).json.ResultItem?.[0]?.ResultCode).toBe(0);
  });

  it('keeps counters but no log when keepLog is false', async () => {
    const quiet = await startTimSimulator({ sdkAppId: APP, secretKey: KEY, keepLog: false });
    try {
      await callTim(quiet.url, addBody('alice', ['ok1']));
      expect(quiet.arrivals()).toEqual([]);
      expect(quiet.stats().calls).toBe(1);
    } finally {
      await quiet.close();
    }
  });
});
