import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeweSimulator } from '../../src/sim/gewe/index.js';
import type { Harness } from '../helpers/harness.js';
import { startLibraryWorld, stopLibraryWorld } from '../helpers/library-world.js';
import { geweEnv, startTestGeweSim } from '../helpers/gewe-sim.js';
import { waitFor } from '../helpers/wait-for.js';
import type { FriendAddClient } from '../../src/client/friend-add-client.js';
import { jobsOf } from './queue-helpers.js';

const item = (appId: string, v3: string) => ({ appId, scene: 3, option: 2, v3, v4: `v4_${v3}`, content: 'hi' });

/** GeWe requests through the library, against a worker and the GeWe simulator. */
describe('library operations on GeWe', () => {
  let sim: GeweSimulator;
  let h: Harness;
  let client: FriendAddClient;
  const callsOf = (appId: string) => sim.arrivals().filter((a) => a.appId === appId);

  beforeAll(async () => {
    const geweSim = await startTestGeweSim();
    ({ sim, h, client } = await startLibraryWorld(geweSim, 'client-gewe', geweEnv(geweSim)));
  });
  afterAll(() => stopLibraryWorld({ sim, h, client }));

  it('submits items once, reports totals equal to the results, and re-drives the failed one', async () => {
    const items = [item('wx_one', 'v3_ok_a'), item('wx_one', 'v3_unknown_b'), item('wx_one', 'v3_ok_c')];
    expect(await client.submitGewe({ requestId: 'gw', items })).toEqual({ requestId: 'gw', jobs: 3, targets: 3 });
    const results = await h.results.waitForCount(3, 20_000, 'gw');
    expect(await client.submitGewe({ requestId: 'gw', items })).toEqual({ requestId: 'gw', jobs: 3, targets: 3 });
    expect(await jobsOf(h.input, 'gw')).toHaveLength(3);
    const status = await client.getRequest('gw');
    const fromResults: Record<string, number> = {};
    for (const r of results) fromResults[r.outcome] = (fromResults[r.outcome] ?? 0) + 1;
    expect(Object.fromEntries(Object.entries(status!.totals).filter(([, n]) => n > 0))).toEqual(fromResults);
    expect(status).toMatchObject({ provider: 'gewe', total: 3, open: 0 });

    const failed = results.filter((r) => r.outcome === 'failed').map((r) => r.target);
    expect(failed).toEqual(['v3_unknown_b']);
    expect(await client.retryFailed('gw')).toEqual({ requestId: 'gw-retry-1', jobs: 1, targets: 1 });
    const [job] = await jobsOf(h.input, 'gw-retry-1');
    expect(job!.data).toEqual({ ...item('wx_one', 'v3_unknown_b'), requestId: 'gw-retry-1' });
    await h.results.waitForCount(1, 20_000, 'gw-retry-1');
    expect(callsOf('wx_one').filter((a) => a.v3 === 'v3_unknown_b').length).toBeGreaterThanOrEqual(2);
  });

  it('pauses and resumes a GeWe account', async () => {
    await client.pauseAccount('gewe', 'wx_two');
    await client.submitGewe([item('wx_two', 'v3_ok_p')]);
    const [job] = (await h.input.getJobs(['waiting', 'active', 'delayed'])).filter((j) => j.data.appId === 'wx_two');
    await waitFor('the job to wait for the paused account', async () => (await job!.getState()) === 'delayed', 10_000);
    expect(callsOf('wx_two')).toHaveLength(0);
    await client.resumeAccount('gewe', 'wx_two');
    await waitFor('the call after resume', () => callsOf('wx_two').length === 1, 10_000);
  });

  it('registers accounts and lists those that got jobs unregistered', async () => {
    await waitFor('wx_one to be noted unregistered', async () => (await client.listUnregisteredGeweAccounts()).includes('wx_one'));
    await client.setGeweAccount('wx_one', new Date(Date.now() - 5 * 24 * 3600_000));
    expect(await client.listUnregisteredGeweAccounts()).not.toContain('wx_one');
    await expect(client.setGeweAccount('wx_one', new Date('nonsense'))).rejects.toMatchObject({ field: 'onlineSince' });
    await expect(client.pauseAccount('qq' as never, 'x')).rejects.toMatchObject({ field: 'provider' });
  });
});
