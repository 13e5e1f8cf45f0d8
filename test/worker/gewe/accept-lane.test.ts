import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeweSimulator } from '../../../src/sim/gewe/index.js';
import { createHarness, type Harness } from '../../helpers/harness.js';
import { geweEnv, geweJob, startTestGeweSim } from '../../helpers/gewe-sim.js';
import { waitFor } from '../../helpers/wait-for.js';

/** Accepts and rejects share the account's one call in flight with adds, but not their spacing. */
describe('GeWe accepts beside adds', () => {
  let sim: GeweSimulator;
  let h: Harness;
  const ADD_MS = 5_000;
  const ACCEPT_MS = 200;

  beforeAll(async () => {
    sim = await startTestGeweSim();
    h = createHarness('gewe-accept-lane', geweEnv(sim, { GEWE_INTERVAL_MS: ADD_MS, GEWE_NEW_INTERVAL_MS: ADD_MS, GEWE_ACCEPT_INTERVAL_MS: ACCEPT_MS }));
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  const arrival = (v3: string) => sim.arrivals().find((a) => a.v3 === v3);

  it('an accept that finds an add in flight waits briefly and goes right after it', async () => {
    await h.input.add('gewe', { requestId: 'lane-add', ...geweJob('wx_lane', 'v3_slow300_add') });
    await waitFor('the add to reach GeWe', () => arrival('v3_slow300_add'), 10_000, 5);
    await h.input.add('gewe', { requestId: 'lane-accept', ...geweJob('wx_lane', 'v3_ok_accept', { option: 3, scene: 6 }) });
    const [result] = await h.results.waitForCount(1, 10_000, 'lane-accept');
    expect(result).toMatchObject({ outcome: 'added', attempts: 1 });
    const add = arrival('v3_slow300_add')!;
    const accept = arrival('v3_ok_accept')!;
    // Not during the add (one call in flight), and soon after it: woken at its end, or looking again.
    expect(accept.at).toBeGreaterThanOrEqual(add.endedAt!);
    expect(accept.at - add.endedAt!).toBeLessThan(500);
    expect(sim.violations()).toEqual([]);
  });

  it('accepts keep their own spacing, and an add queued behind others does not delay them', async () => {
    for (let i = 0; i < 3; i++) await h.input.add('gewe', { requestId: 'lane-adds', ...geweJob('wx_lane2', `v3_ok_add_${i}`) });
    for (let i = 0; i < 3; i++) {
      await h.input.add('gewe', { requestId: 'lane-accepts', ...geweJob('wx_lane2', `v3_ok_acc_${i}`, { option: 4, scene: 6 }) });
    }
    const results = await h.results.waitForCount(3, 10_000, 'lane-accepts');
    expect(results.map((r) => r.outcome)).toEqual(['declined', 'declined', 'declined']);
    // In the order they arrived: jobs waiting for one account are not promised to call in the
    // order they were queued (whoever asks first after a release takes it), only spaced.
    const accepts = [0, 1, 2].map((i) => arrival(`v3_ok_acc_${i}`)!.at).sort((a, b) => a - b);
    for (let i = 1; i < 3; i++) expect(accepts[i]! - accepts[i - 1]!).toBeGreaterThanOrEqual(ACCEPT_MS - 20);
    // Three rejects done while the adds, 5 s apart, have made one call.
    expect(sim.arrivals().filter((a) => a.v3.startsWith('v3_ok_add_'))).toHaveLength(1);
  });
});
