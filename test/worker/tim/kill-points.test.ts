import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../../src/sim/tim/index.js';
import { createHarness, type Harness } from '../../helpers/harness.js';
import { byTarget } from '../../helpers/results.js';
import { startTestTimSim, timEnv, timTargets } from '../../helpers/tim-sim.js';
import { waitFor } from '../../helpers/wait-for.js';

/**
 * A worker SIGKILLed at named points loses nothing and duplicates nothing: each target still gets
 * exactly one result, counted from friend-add-results.
 */
describe('TIM worker killed at named points', () => {
  let sim: TimSimulator;
  let h: Harness;

  beforeAll(async () => {
    sim = await startTestTimSim({ ratePerSec: 100 });
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(async () => {
    await sim.close();
  });

  const points = ['holding-account', 'after-answer', 'writing-results'] as const;
  for (const point of points) {
    it(`keeps exactly one result per target when killed ${point}`, async () => {
      h = createHarness(`kill-${point}`, timEnv(sim, { JOB_LOCK_MS: 2000, RETRY_BASE_MS: 20 }));
      const names = Array.from({ length: 30 }, (_, i) => `ok_${point}_${i}`);
      const job = await h.input.add('tim', { requestId: `kill-${point}`, fromAccount: `acct_${point}`, targets: timTargets(names) });
      const doomed = await h.spawnWorker({ CRASH_AT: point });
      await waitFor('the worker to kill itself', () => doomed.exitCode !== undefined, 20_000);
      expect(doomed.exitCode).toBeNull(); // ended by a signal, not an exit
      const restartedAt = Date.now();
      await h.spawnWorker();
      await h.results.waitForCount(30, 30_000, `kill-${point}`);
      // Resumed within the job lock (2 s) plus the stalled check, not BullMQ's minute.
      expect(Date.now() - restartedAt).toBeLessThan(15_000);
      await waitFor('the job to complete', async () => (await job.getState()) === 'completed');
      const all = await h.results.all();
      expect(all).toHaveLength(30);
      for (const [, list] of byTarget(all)) expect(list).toHaveLength(1);
      expect(sim.violations().filter((v) => v.fromAccount === `acct_${point}`)).toEqual([]);
    });
  }

  it('does not fail a job that is killed many times', async () => {
    h = createHarness('kill-many', timEnv(sim, { JOB_LOCK_MS: 1000, RETRY_BASE_MS: 20 }));
    const names = Array.from({ length: 5 }, (_, i) => `ok_many_${i}`);
    const job = await h.input.add('tim', { requestId: 'kill-many', fromAccount: 'acct_many', targets: timTargets(names) });
    for (let kill = 0; kill < 3; kill++) {
      const doomed = await h.spawnWorker({ CRASH_AT: 'holding-account' });
      await waitFor('the worker to kill itself', () => doomed.exitCode !== undefined, 20_000);
    }
    expect(await job.getState()).not.toBe('failed');
    await h.spawnWorker();
    const results = await h.results.waitForCount(5, 30_000, 'kill-many');
    expect(results.map((r) => r.outcome)).toEqual(Array(5).fill('added'));
    // The results are on record a step before the job completes: its completion follows them.
    await waitFor('the job to complete', async () => (await job.getState()) === 'completed', 10_000);
  });
});
