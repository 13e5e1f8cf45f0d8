import { afterEach, describe, expect, it } from 'vitest';
import type { GeweSimulator } from '../../../src/sim/gewe/index.js';
import { minSpacing } from '../../../src/sim/shared/arrival-stats.js';
import { GeweRegistry } from '../../../src/accounts/gewe-registry.js';
import { Keys } from '../../../src/lib/keys.js';
import { DAY } from '../../../src/lib/time.js';
import { createHarness, type Harness } from '../../helpers/harness.js';
import { geweEnv, geweJob, startTestGeweSim } from '../../helpers/gewe-sim.js';
import { byTarget } from '../../helpers/results.js';
import { waitFor } from '../../helpers/wait-for.js';

const NEW_MS = 400;
const SEASONED_MS = 150;

describe('GeWe pacing across worker processes', () => {
  let sim: GeweSimulator;
  let h: Harness;

  afterEach(async () => {
    await h.close();
    await sim.close();
  });

  it('spaces each account by its tier, measured at arrival, with 2 worker processes', async () => {
    sim = await startTestGeweSim();
    h = createHarness('gewe-spacing', geweEnv(sim, { GEWE_NEW_INTERVAL_MS: NEW_MS, GEWE_INTERVAL_MS: SEASONED_MS }));
    await new GeweRegistry(h.redis, new Keys(h.prefix), h.config.gewe.newAccountMs).setOnlineSince('wx_old', new Date(Date.now() - 10 * DAY));
    await Promise.all([h.spawnWorker(), h.spawnWorker()]);
    for (let i = 0; i < 5; i++) {
      await h.input.add('gewe', { requestId: 'spacing', ...geweJob('wx_new', `v3_ok_new_${i}`) });
      await h.input.add('gewe', { requestId: 'spacing', ...geweJob('wx_old', `v3_ok_old_${i}`) });
    }
    await h.results.waitForCount(10, 20_000, 'spacing');
    const times = (appId: string) =>
      sim
        .arrivals()
        .filter((a) => a.appId === appId)
        .map((a) => a.at);
    expect(times('wx_new')).toHaveLength(5);
    expect(times('wx_old')).toHaveLength(5);
    expect(minSpacing(times('wx_new'))).toBeGreaterThanOrEqual(NEW_MS - 20);
    expect(minSpacing(times('wx_old'))).toBeGreaterThanOrEqual(SEASONED_MS - 20);
    // The seasoned account really went faster than the new one.
    expect(minSpacing(times('wx_old'))).toBeLessThan(NEW_MS - 20);
    expect(sim.violations()).toEqual([]);
  });

  it('serves many accounts side by side: waiting jobs hold no worker slot', async () => {
    sim = await startTestGeweSim();
    const interval = 300;
    h = createHarness('gewe-fair', geweEnv(sim, { GEWE_NEW_INTERVAL_MS: interval, WORKER_CONCURRENCY: 5 }));
    await h.startWorker();
    const started = Date.now();
    for (let a = 0; a < 40; a++) {
      for (let j = 0; j < 3; j++) await h.input.add('gewe', { requestId: 'fair', ...geweJob(`wx_fair_${a}`, `v3_ok_${a}_${j}`) });
    }
    await h.results.waitForCount(120, 30_000, 'fair');
    const wall = Date.now() - started;
    // Ideal: 2 intervals after the first calls. One account's 3 jobs take 600 ms; 40 accounts
    // sharing 5 slots would take far longer if waiting held a slot. A generous bound:
    expect(wall).toBeLessThan(6 * interval + 3000);
    expect(sim.violations()).toEqual([]);
  });

  it("waits out a slot made early by the last call's latency in place, not through delayed", async () => {
    // The lane's spacing counts from the end of a call, slots from its start: with 40 ms calls
    // a job woken at its slot is early by 40 ms or so per call before it (within a tenth of the
    // interval: in place).
    sim = await startTestGeweSim(40);
    const interval = 3000;
    h = createHarness('gewe-early', geweEnv(sim, { GEWE_NEW_INTERVAL_MS: interval }));
    await h.startWorker();
    const jobs = [];
    for (let i = 0; i < 3; i++) jobs.push(await h.input.add('gewe', { requestId: 'early', ...geweJob('wx_early', `v3_ok_e${i}`) }));
    await h.results.waitForCount(3, 20_000, 'early');
    const arrivals = sim.arrivals().map((a) => a.at);
    expect(minSpacing(arrivals)).toBeGreaterThanOrEqual(interval + 40 - 20);
    const logs = await Promise.all(jobs.map(async (j) => (await h.input.getJobLogs(j.id!)).logs.join('\n')));
    expect(logs.join('\n')).toMatch(/waiting for the account's turn/);
    expect(logs.join('\n')).not.toMatch(/account called too recently/);
    expect(sim.violations()).toEqual([]);
  });

  it('gives exactly one result per call when a worker is SIGKILLed mid-run', async () => {
    sim = await startTestGeweSim();
    h = createHarness('gewe-kill', geweEnv(sim, { GEWE_NEW_INTERVAL_MS: 100, JOB_LOCK_MS: 2000 }));
    // One slot: exactly one call is in flight when it dies.
    const doomed = await h.spawnWorker({ CRASH_AT: 'after-answer', WORKER_CONCURRENCY: 1 });
    for (let i = 0; i < 6; i++) {
      await h.input.add('gewe', { requestId: 'gkill', ...geweJob('wx_kill', `v3_ok_k${i}`) });
      await h.input.add('gewe', { requestId: 'gkill', ...geweJob('wx_kill2', `v3_ok_j${i}`, { option: 3, scene: 17 }) });
    }
    await waitFor('the worker to kill itself', () => doomed.exitCode !== undefined, 20_000);
    await h.spawnWorker();
    const results = await h.results.waitForCount(12, 30_000, 'gkill');
    for (const [, list] of byTarget(results)) expect(list).toHaveLength(1);
    // The add killed after its answer is never sent again; an accept may be.
    // The killed call was either an add (it ends `unconfirmed`, not sent again; `interrupted`
    // until the processor takes the contract's name) or an accept (safe to repeat: called once
    // more). Exactly one of the two happened.
    const interrupted = results.filter((r) => r.code === 'unconfirmed' || r.code === 'interrupted');
    for (const r of interrupted) expect(sim.arrivals().filter((a) => a.v3 === r.target)).toHaveLength(1);
    const repeated = sim.arrivals().length - 12;
    expect(interrupted.length + repeated).toBe(1);
  });
});
