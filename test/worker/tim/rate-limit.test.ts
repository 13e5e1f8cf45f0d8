import { afterEach, describe, expect, it } from 'vitest';
import { maxInSlidingWindow, type TimSimulator } from '../../../src/sim/tim/index.js';
import { createHarness, TEST_SDKAPPID, type Harness } from '../../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../../helpers/tim-sim.js';
import { Keys } from '../../../src/lib/keys.js';

const LIMIT = 20;

/**
 * The TIM limit as the provider sees arrivals: read from the simulator's own log. A low limit
 * keeps the test short; the bench measures how close to the limit we get.
 */
describe('TIM rate limit across worker processes', () => {
  let sim: TimSimulator;
  let h: Harness;

  afterEach(async () => {
    await h.close();
    await sim.close();
  });

  async function backlog(accounts: number, jobsPerAccount: number): Promise<number> {
    let calls = 0;
    for (let j = 0; j < jobsPerAccount; j++) {
      for (let a = 0; a < accounts; a++) {
        const targets = timTargets([`ok_${a}_${j}_x`, `ok_${a}_${j}_y`]);
        await h.input.add('tim', { requestId: 'rate', fromAccount: `acct_${a}`, targets });
        calls += 1;
      }
    }
    return calls;
  }

  for (const workers of [1, 4]) {
    it(`never puts more than ${LIMIT} calls in a sliding second, with ${workers} worker process(es), and does not stall`, async () => {
      sim = await startTestTimSim({ ratePerSec: LIMIT });
      h = createHarness(`rate-${workers}`, timEnv(sim, { TIM_RATE_PER_SEC: LIMIT, WORKER_CONCURRENCY: 20 }));
      await Promise.all(Array.from({ length: workers }, () => h.spawnWorker()));
      const calls = await backlog(10, 8);
      // 80 calls at 20/s: about 4 s; a stall would blow the deadline.
      await h.results.waitForCount(calls * 2, 30_000, 'rate');
      const arrivals = sim.arrivals();
      expect(arrivals).toHaveLength(calls);
      expect(maxInSlidingWindow(arrivals.map((a) => a.at))).toBeLessThanOrEqual(LIMIT);
      expect(arrivals.filter((a) => a.rejected)).toEqual([]);
      expect(sim.violations()).toEqual([]);
    });
  }

  it('counts a call that got no answer from the latest it may have arrived, in the shared log', async () => {
    sim = await startTestTimSim({ ratePerSec: LIMIT });
    h = createHarness('rate-late', timEnv(sim, { TIM_RATE_PER_SEC: LIMIT, HTTP_TIMEOUT_MS: 600 }));
    await h.spawnWorker();
    // The call reaches the simulator and hangs until the worker gives up 600 ms on: it may have
    // reached TIM any time before that, and the 25 ms margin only covers so much.
    sim.injectFault('hang', 1);
    await h.input.add('tim', { requestId: 'late', fromAccount: 'acct_late', targets: timTargets(['ok_late_x']) });
    await h.results.waitForCount(1, 15_000, 'late');
    const [hung] = sim.arrivals();
    const log = await h.redis.zrange(new Keys(h.prefix).timGateLog(TEST_SDKAPPID), '0', '-1', 'WITHSCORES');
    // Each granted slot (a fresh log also holds the entries it was rebuilt with, named apart): the
    // hung call's moved from its slot to its end less the margin (no floor yet for the process).
    const moves = [];
    for (let i = 0; i < log.length; i += 2) if (!log[i]!.startsWith('rebuilt')) moves.push(Number(log[i + 1]) - Number(log[i]));
    expect(moves).toHaveLength(2); // the hung call and its retry
    expect(Math.max(...moves)).toBeGreaterThan(600 - 25 - 20);
    expect(hung!.fault).toBe('hang');
  });

  it('holds the limit and fails no job while its Redis keys are deleted mid-run', async () => {
    sim = await startTestTimSim({ ratePerSec: LIMIT });
    h = createHarness('rate-keys', timEnv(sim, { TIM_RATE_PER_SEC: LIMIT, WORKER_CONCURRENCY: 20 }));
    await Promise.all([h.spawnWorker(), h.spawnWorker()]);
    const calls = await backlog(10, 6);
    let deletions = 0;
    // At 20/s a lost log costs a pause of about 0.4 s (rebuilt as the densest past that could
    // have been, see gate-reserve.lua): wiped every 150 ms it would hold every call back.
    const wiper = setInterval(() => {
      void h.redis.keys(`${h.prefix}:fa:gate:*`).then(async (keys) => {
        if (keys.length) deletions += await h.redis.del(...keys);
      });
    }, 600);
    try {
      await h.results.waitForCount(calls * 2, 30_000, 'rate');
    } finally {
      clearInterval(wiper);
    }
    expect(deletions).toBeGreaterThan(2);
    const arrivals = sim.arrivals();
    expect(maxInSlidingWindow(arrivals.map((a) => a.at))).toBeLessThanOrEqual(LIMIT);
    expect(arrivals.filter((a) => a.rejected)).toEqual([]);
    expect(await h.input.getFailedCount()).toBe(0);
  });
});
