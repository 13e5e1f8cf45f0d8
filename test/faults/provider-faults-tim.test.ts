import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultKind, TimSimulator } from '../../src/sim/tim/index.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { countDelivery, resultKey } from '../helpers/delivery-counts.js';
import { waitForJobsDone } from '../helpers/fault-requests.js';
import { caseTimeoutMs, sized } from '../helpers/faults-mode.js';
import { startCase } from '../helpers/faults-summary.js';
import { captureLogs } from '../helpers/log-sink.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';

const TIMEOUT_MS = 500;
/** A call may end this much after its deadline: the abort, the event loop of a loaded machine. */
const DEADLINE_SLACK_MS = 250;
const KINDS: FaultKind[] = ['502html', 'reset', 'truncated', 'slowbody', 'hang'];
const PER_KIND = sized(10, 50);

/**
 * TIM transport faults injected into many calls at once: every faulted call counts as an attempt
 * and is retried, no fault is taken for success, and every call ends within HTTP_TIMEOUT_MS.
 * (test/worker/tim/transport-faults.test.ts covers each fault alone, one call at a time.)
 */
describe('faults: TIM provider faults', () => {
  let sim: TimSimulator;
  let h: Harness;
  const logs = captureLogs();

  beforeAll(async () => {
    sim = await startTestTimSim({ ratePerSec: 1000 });
    h = createHarness('faults-tim-provider', timEnv(sim, { HTTP_TIMEOUT_MS: TIMEOUT_MS, RETRY_BASE_MS: 20, MAX_ATTEMPTS: 5 }));
    await h.startWorker(logs.logger);
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  it(
    `retries ${PER_KIND} calls of each fault, never takes one for success, and holds the deadline`,
    async () => {
      const done = startCase('provider-faults-tim');
      // The body comes three deadlines late: only a deadline covering the body ends the call.
      for (const kind of KINDS) sim.injectFault(kind, PER_KIND, 3 * TIMEOUT_MS);
      const jobs = KINDS.flatMap((kind) => Array.from({ length: PER_KIND }, (_, i) => ({ account: `acct_${kind}_${i}`, target: `ok_${kind}_${i}` })));
      await h.input.addBulk(jobs.map((j) => ({ name: 'tim', data: { requestId: 'tim-faults', fromAccount: j.account, targets: timTargets([j.target]) } })));
      const { error, states } = await waitForJobsDone(h.input, jobs.length, sized(60_000, 180_000));

      const results = await h.results.all();
      const delivery = countDelivery(new Set(jobs.map((j) => resultKey('tim-faults', j.target))), results);
      const arrivals = sim.arrivals();
      const latencies = logs.lines().filter((l) => l.msg === 'tim friend_add call');
      let faultTakenForSuccess = 0;
      let attemptsMiscounted = 0;
      const maxLatencyByKind: Record<string, number> = {};
      for (const job of jobs) {
        const calls = arrivals.filter((a) => a.fromAccount === job.account);
        const result = results.find((r) => r.target === job.target);
        if (!result) continue;
        if (result.outcome !== 'failed' && calls.at(-1)?.fault) faultTakenForSuccess += 1;
        if (result.attempts !== calls.length) attemptsMiscounted += 1;
        // The worker logs its calls of one account in the order the simulator saw them.
        const logged = latencies.filter((l) => l.fromAccount === job.account);
        calls.forEach((call, i) => {
          const kind = call.fault ?? 'none';
          maxLatencyByKind[kind] = Math.max(maxLatencyByKind[kind] ?? 0, Number(logged[i]?.latencyMs ?? 0));
        });
      }
      const faultsMet = arrivals.filter((a) => a.fault).length;
      const maxLatencyMs = Math.max(...Object.values(maxLatencyByKind));
      const deadlineMissed = latencies.filter((l) => Number(l.latencyMs) > TIMEOUT_MS + DEADLINE_SLACK_MS).length;
      const counts = {
        ...delivery,
        limitViolations: sim.violations().length,
        faultsInjected: KINDS.length * PER_KIND,
        faultsMet,
        faultTakenForSuccess,
        attemptsMiscounted,
        deadlineMissed,
        httpTimeoutMs: TIMEOUT_MS,
        maxLatencyMs,
        maxLatencyByKind,
        failedJobs: states.failed!,
      };
      const bad = delivery.lost + delivery.duplicated + faultTakenForSuccess + attemptsMiscounted + deadlineMissed + states.failed!;
      await done(counts, !error && bad === 0 && faultsMet === KINDS.length * PER_KIND);
      if (error) throw error;
      expect({ lost: delivery.lost, duplicated: delivery.duplicated, faultTakenForSuccess, attemptsMiscounted }).toEqual({
        lost: 0,
        duplicated: 0,
        faultTakenForSuccess: 0,
        attemptsMiscounted: 0,
      });
      expect(faultsMet).toBe(KINDS.length * PER_KIND);
      expect(maxLatencyMs).toBeLessThanOrEqual(TIMEOUT_MS + DEADLINE_SLACK_MS);
      expect(maxLatencyByKind.hang).toBeGreaterThanOrEqual(TIMEOUT_MS - 5); // the deadline, not an early give-up
    },
    caseTimeoutMs(90_000, 240_000),
  );
});
