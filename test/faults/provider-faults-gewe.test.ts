import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeweSimulator } from '../../src/sim/gewe/index.js';
import { createHarness, TEST_GEWE_TOKEN, type Harness } from '../helpers/harness.js';
import { caseTimeoutMs, sized } from '../helpers/faults-mode.js';
import { startCase } from '../helpers/faults-summary.js';
import { geweJob, startTestGeweSim } from '../helpers/gewe-sim.js';
import { captureLogs } from '../helpers/log-sink.js';
import { TapProxy } from '../helpers/tap-proxy.js';

const TIMEOUT_MS = 500;
const DEADLINE_SLACK_MS = 250;
const KINDS = ['502html', 'reset', 'truncated', 'hang', 'slowbody'] as const;
const ROUNDS = sized(1, 3);

/** What the contract says each fault ends as, for an add (2) and for an accept or reject (3, 4). */
function expected(_kind: (typeof KINDS)[number], option: 2 | 3 | 4) {
  const success = { 2: 'requested', 3: 'added', 4: 'declined' }[option];
  // Accepts and rejects reach nobody twice: retried through anything.
  if (option !== 2) return { outcome: success, calls: 2 };
  // Every one of these faults comes after the request left (a gateway's 502 may have been
  // forwarded): an add may have been made, so it is not sent twice and ends `unconfirmed`.
  return { outcome: 'failed', code: 'unconfirmed', calls: 1 };
}

/**
 * GeWe transport faults, one call at a time so that each lands where intended: any failure of an
 * add after its request left ends `failed` / `unconfirmed` without a second call, accepts and rejects are
 * retried through anything, none counts as success, and every call ends by its deadline. The
 * slow body comes from a proxy in front of the simulator (the GeWe simulator has no such fault).
 */
describe('faults: GeWe provider faults', () => {
  let sim: GeweSimulator;
  let proxy: TapProxy;
  let h: Harness;
  const logs = captureLogs();

  beforeAll(async () => {
    sim = await startTestGeweSim();
    proxy = await new TapProxy(sim.url).start();
    h = createHarness('faults-gewe-provider', {
      GEWE_BASE_URL: proxy.url,
      GEWE_TOKEN: TEST_GEWE_TOKEN,
      GEWE_INTERVAL_MS: 20,
      GEWE_NEW_INTERVAL_MS: 20,
      GEWE_ACCEPT_INTERVAL_MS: 20,
      GEWE_JITTER: 0,
      GEWE_DAILY_CAP_NEW: 1000,
      GEWE_DAILY_CAP: 1000,
      HTTP_TIMEOUT_MS: TIMEOUT_MS,
      RETRY_BASE_MS: 20,
      MAX_ATTEMPTS: 5,
    });
    await h.startWorker(logs.logger);
  });
  afterAll(async () => {
    await h.close();
    await proxy.close();
    await sim.close();
  });

  it(
    'ends each fault as the contract says, for adds, accepts and rejects',
    async () => {
      const done = startCase('provider-faults-gewe');
      const wrong: string[] = [];
      let sentTwice = 0;
      let faultTakenForSuccess = 0;
      let cases = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of KINDS) {
          for (const option of [2, 3, 4] as const) {
            const requestId = `gf-${round}-${kind}-${option}`;
            const job = geweJob(`wx_${kind}_${option}_${round}`, `v3_ok_${requestId}`, { requestId, option, scene: option === 2 ? 3 : 6 });
            if (kind === 'slowbody') proxy.slowBodies(1, 3 * TIMEOUT_MS);
            else sim.injectFault(kind, 1);
            await h.input.add('gewe', job);
            const [result] = await h.results.waitForCount(1, 20_000, requestId);
            const calls = sim.arrivals().filter((a) => a.v3 === job.v3).length;
            const want = expected(kind, option);
            const got = { outcome: result!.outcome, ...(want.code ? { code: result!.code } : {}), calls };
            cases += 1;
            if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${requestId}: ${JSON.stringify(got)}`);
            if (option === 2 && want.calls === 1 && calls > 1) sentTwice += 1;
            if (result!.outcome !== 'failed' && result!.attempts < 2) faultTakenForSuccess += 1;
          }
        }
      }
      const latencies = logs
        .lines()
        .filter((l) => l.msg === 'gewe addContacts call')
        .map((l) => Number(l.latencyMs));
      const maxLatencyMs = Math.max(...latencies);
      const deadlineMissed = latencies.filter((ms) => ms > TIMEOUT_MS + DEADLINE_SLACK_MS).length;
      const duplicated = (await h.results.all()).length - cases;
      const counts = {
        targets: cases,
        lost: 0,
        duplicated,
        limitViolations: sim.violations().length,
        notAsContract: wrong.length,
        sentTwice,
        faultTakenForSuccess,
        deadlineMissed,
        httpTimeoutMs: TIMEOUT_MS,
        maxLatencyMs,
        calls: latencies.length,
      };
      await done(counts, wrong.length + sentTwice + faultTakenForSuccess + deadlineMissed + duplicated + counts.limitViolations === 0);
      expect(wrong).toEqual([]);
      expect({ sentTwice, faultTakenForSuccess, deadlineMissed, duplicated }).toEqual({
        sentTwice: 0,
        faultTakenForSuccess: 0,
        deadlineMissed: 0,
        duplicated: 0,
      });
      expect(sim.violations()).toEqual([]);
    },
    caseTimeoutMs(90_000, 240_000),
  );
});
