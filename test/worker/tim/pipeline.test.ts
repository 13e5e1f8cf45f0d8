import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../../src/sim/tim/index.js';
import { createHarness, type Harness } from '../../helpers/harness.js';
import { byTarget } from '../../helpers/results.js';
import { startTestTimSim, timEnv, timTargets } from '../../helpers/tim-sim.js';

describe('TIM pipeline, end to end', () => {
  let sim: TimSimulator;
  let h: Harness;

  beforeAll(async () => {
    sim = await startTestTimSim({ ratePerSec: 100 });
    h = createHarness('tim-pipeline', timEnv(sim, { RETRY_BASE_MS: 20 }));
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  it('splits 2,500 targets into calls of 1000, 1000 and 500 and reports each once', async () => {
    const names = Array.from({ length: 2500 }, (_, i) => `ok_${i}`);
    await h.input.add('tim', { requestId: 'big', fromAccount: 'alice', targets: timTargets(names) });
    const results = await h.results.waitForCount(2500, 30_000, 'big');
    expect(results).toHaveLength(2500);
    expect(new Set(results.map((r) => r.target)).size).toBe(2500);
    expect(results.every((r) => r.outcome === 'added' && r.code === 0 && r.attempts === 1)).toBe(true);
    const calls = sim
      .arrivals()
      .filter((a) => a.fromAccount === 'alice')
      .map((a) => a.count);
    expect(calls).toEqual([1000, 1000, 500]);
  });

  it('reports a target named twice once, and calls it once', async () => {
    const targets = timTargets(['dup_a', 'dup_b', 'dup_a']);
    await h.input.add('tim', { requestId: 'dup', fromAccount: 'bob', targets });
    const results = await h.results.waitForCount(2, 10_000, 'dup');
    expect(results.map((r) => r.target).sort()).toEqual(['dup_a', 'dup_b']);
    expect(
      sim
        .arrivals()
        .filter((a) => a.fromAccount === 'bob')
        .map((a) => a.count),
    ).toEqual([2]);
  });

  it('gives every outcome class its result', async () => {
    const names = ['ok_x', 'pending_x', 'friend_x', 'exist_x', 'black_x', 'deny_x', 'noacct_x', 'unknown_x', 'transient2_x', 'missing_x'];
    await h.input.add('tim', { requestId: 'classes', fromAccount: 'carol', targets: timTargets(names) });
    const results = await h.results.waitForCount(names.length, 20_000, 'classes');
    const got = Object.fromEntries(results.map((r) => [r.target, [r.outcome, r.code, r.attempts]]));
    expect(got).toEqual({
      ok_x: ['added', 0, 1],
      pending_x: ['requested', 30539, 1],
      friend_x: ['already_friends', 30520, 1],
      exist_x: ['already_friends', 30001, 1],
      black_x: ['refused', 30515, 1],
      deny_x: ['refused', 30516, 1],
      noacct_x: ['refused', 30003, 1],
      unknown_x: ['failed', 39999, 1],
      transient2_x: ['added', 0, 3],
      missing_x: ['added', 0, 2],
    });
    for (const [, list] of byTarget(results)) expect(list).toHaveLength(1);
  });
});
