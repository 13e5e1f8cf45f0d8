import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultKind, TimSimulator } from '../../../src/sim/tim/index.js';
import { createHarness, type Harness } from '../../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../../helpers/tim-sim.js';

/** Transport failures are transient, never success, and each deadline holds. */
describe('TIM transport faults', () => {
  let sim: TimSimulator;
  let h: Harness;

  beforeAll(async () => {
    sim = await startTestTimSim({ ratePerSec: 1000 });
    h = createHarness('tim-faults', timEnv(sim, { HTTP_TIMEOUT_MS: 400, RETRY_BASE_MS: 20, MAX_ATTEMPTS: 3 }));
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  // The simulator processes truncated and slow-body calls (the add happened; only the answer was
  // damaged), so their retry is answered "already friends".
  const cases: [FaultKind, string, number | string][] = [
    ['502html', 'added', 0],
    ['reset', 'added', 0],
    ['hang', 'added', 0],
    ['truncated', 'already_friends', 30520],
    ['slowbody', 'already_friends', 30520],
  ];
  for (const [fault, outcome, code] of cases) {
    it(`retries after ${fault}, and counts it as an attempt`, async () => {
      const account = `acct_${fault}`;
      sim.injectFault(fault, 1, 2000);
      await h.input.add('tim', { requestId: fault, fromAccount: account, targets: timTargets([`ok_${fault}`]) });
      const [result] = await h.results.waitForCount(1, 15_000, fault);
      expect(result).toMatchObject({ outcome, code, attempts: 2 });
      const calls = sim.arrivals().filter((a) => a.fromAccount === account);
      expect(calls.map((a) => a.fault ?? 'none')).toEqual([fault, 'none']);
    });
  }

  it('ends a target that never answers failed with code timeout after MAX_ATTEMPTS calls', async () => {
    const started = Date.now();
    await h.input.add('tim', { requestId: 'hang-target', fromAccount: 'acct_hang', targets: timTargets(['hang_h']) });
    const [result] = await h.results.waitForCount(1, 15_000, 'hang-target');
    expect(result).toMatchObject({ outcome: 'failed', code: 'timeout', attempts: 3 });
    // Three calls of 400 ms each, plus short backoffs: the deadline held every time.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
