import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTimSimulator, type TimSimulator } from '../../../src/sim/tim/index.js';
import { APP, KEY, addBody, callTim, codesOf, waitFor } from './helpers.js';

describe('one From_Account at a time', () => {
  let sim: TimSimulator;

  beforeAll(async () => {
    sim = await startTimSimulator({ sdkAppId: APP, secretKey: KEY, latencyMs: 1 });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  it('answers 30008 to a call that arrives while another of its account is in flight', async () => {
    const first = callTim(sim.url, addBody('carol', ['slow300_a']));
    await waitFor(() => sim.stats().inFlight === 1, 'the first call to be in flight');
    const second = await callTim(sim.url, addBody('carol', ['ok_b']));
    expect(second.json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 30008 });
    expect(codesOf(await first)).toEqual({ slow300_a: 0 });
    expect(sim.violations()).toMatchObject([{ kind: 'overlap', fromAccount: 'carol' }]);
    expect(sim.violations()[0]!.at).toBe(sim.arrivals()[1]!.at);
    expect(sim.arrivals().map((a) => a.rejected)).toEqual([undefined, '30008']);
    // The refused call did not add its target.
    expect(codesOf(await callTim(sim.url, addBody('carol', ['ok_b'])))).toEqual({ ok_b: 0 });
  });

  it('lets calls of different accounts run at once', async () => {
    const replies = await Promise.all(['a1', 'a2', 'a3', 'a4'].map((from) => callTim(sim.url, addBody(from, ['slow50_x']))));
    expect(replies.map((r) => r.json.ErrorCode)).toEqual([0, 0, 0, 0]);
    expect(sim.violations()).toEqual([]);
  });

  it('lets calls of one account follow each other back to back', async () => {
    for (let i = 0; i < 20; i++) expect((await callTim(sim.url, addBody('dave', [`ok${i}`]))).json.ErrorCode).toBe(0);
    expect(sim.violations()).toEqual([]);
  });

  it('records an overlap even when the overlapping call is refused for another reason', async () => {
    const first = callTim(sim.url, addBody('erin', ['slow300_a']));
    await waitFor(() => sim.stats().inFlight === 1, 'the first call to be in flight');
    sim.injectFault('502html');
    expect((await callTim(sim.url, addBody('erin', ['ok_b']))).status).toBe(502);
    await first;
    expect(sim.violations()).toMatchObject([{ kind: 'overlap', fromAccount: 'erin' }]);
  });
});
