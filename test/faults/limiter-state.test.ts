import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keys } from '../../src/lib/keys.js';
import { localDay } from '../../src/pacing/calendar.js';
import { createHarness, TEST_GEWE_TOKEN, TEST_SDKAPPID, TEST_TIM_KEY, type Harness } from '../helpers/harness.js';
import { countDelivery, leastGapsByKey, resultKey, slidingCounts } from '../helpers/delivery-counts.js';
import { keysOf, timRequest, waitForJobsDone } from '../helpers/fault-requests.js';
import { caseTimeoutMs, sized } from '../helpers/faults-mode.js';
import { startCase } from '../helpers/faults-summary.js';
import { geweJob } from '../helpers/gewe-sim.js';
import { wipeKeysRepeatedly } from '../helpers/key-wiper.js';
import { startGeweSimProcess, startTimSimProcess, type GeweSimProcess, type TimSimProcess } from '../helpers/sim-process.js';

const LIMIT = 100;
// A lost TIM log costs a pause of about a quarter second (it is rebuilt as the densest past that
// could have been); wiped more often than that, the gate would hold every call back.
const WIPE_EVERY_MS = 500;
const GEWE_INTERVAL_MS = 250;
/** Spacing at arrival may come this much under the interval: timer and network jitter. */
const SPACING_SLACK_MS = 20;

/**
 * The TIM gate's and the GeWe pacer's keys are deleted every WIPE_EVERY_MS while two worker
 * processes carry a TIM load at the limit and a GeWe load at short intervals, side by side: the
 * TIM limit and the GeWe spacing still hold at arrival, at simulators in their own processes, and
 * no job fails.
 */
describe('faults: limiter and pacer state lost', () => {
  let tim: TimSimProcess;
  let gewe: GeweSimProcess;
  let h: Harness;

  beforeAll(async () => {
    [tim, gewe] = await Promise.all([startTimSimProcess(LIMIT), startGeweSimProcess()]);
    h = createHarness('faults-limiter', {
      TIM_SDKAPPID: TEST_SDKAPPID,
      TIM_SECRET_KEY: TEST_TIM_KEY,
      TIM_BASE_URL: tim.url,
      TIM_RATE_PER_SEC: LIMIT,
      GEWE_BASE_URL: gewe.url,
      GEWE_TOKEN: TEST_GEWE_TOKEN,
      GEWE_INTERVAL_MS,
      GEWE_NEW_INTERVAL_MS: GEWE_INTERVAL_MS,
      GEWE_JITTER: 0,
      GEWE_DAILY_CAP_NEW: 100_000,
      GEWE_DAILY_CAP: 100_000,
      RETRY_BASE_MS: 100,
    });
    await Promise.all([h.spawnWorker(), h.spawnWorker()]);
  });
  afterAll(async () => {
    await h.close();
    await Promise.all([tim.stop(), gewe.stop()]);
  });

  it(
    'holds the TIM limit and GeWe spacing at arrival while their keys vanish, and fails no job',
    async () => {
      const doneTim = startCase('limiter-state-tim');
      const doneGewe = startCase('limiter-state-gewe');
      const requests = Array.from({ length: sized(400, 3000) }, (_, i) => timRequest(`gate-${i}`, i, 10, 1000));
      const appIds = Array.from({ length: sized(8, 20) }, (_, a) => `wx_pace_${a}`);
      const geweJobs = Array.from({ length: sized(10, 40) }, (_, j) =>
        appIds.map((appId) => geweJob(appId, `v3_ok_${appId}_${j}`, { requestId: 'pace' })),
      ).flat();
      const keys = new Keys(h.prefix);
      const today = () => localDay(Date.now(), h.config.gewe.timeZone);
      const wiped = () => [
        keys.timGate(TEST_SDKAPPID),
        keys.timGateLog(TEST_SDKAPPID),
        ...appIds.flatMap((id) => [keys.gewePace(id), keys.geweDay(id, today())]),
      ];
      const wiper = wipeKeysRepeatedly(h.redis, wiped, WIPE_EVERY_MS);
      await h.input.addBulk([...geweJobs.map((data) => ({ name: 'gewe', data })), ...requests.map((data) => ({ name: 'tim', data }))]);
      const { error, states } = await waitForJobsDone(h.input, requests.length + geweJobs.length, sized(90_000, 400_000));
      const { deleted } = await wiper.stop();
      const results = await h.results.all();

      const timDelivery = countDelivery(
        keysOf(requests),
        results.filter((r) => r.provider === 'tim'),
      );
      const timArrivals = await tim.arrivals();
      const rate = slidingCounts(
        timArrivals.map((a) => a.at),
        LIMIT,
      );
      const timOverlaps = (await tim.violations()).filter((v) => v.kind === 'overlap').length;
      const refusedWhole = timArrivals.filter((a) => a.rejected).length;
      const timCounts = {
        ...timDelivery,
        limitViolations: rate.windowsOverLimit + timOverlaps,
        ...rate,
        overlaps: timOverlaps,
        refusedWhole,
        keysDeleted: deleted,
        failedJobs: states.failed!,
        jobStates: states,
      };
      const timBad = timDelivery.lost + timDelivery.duplicated + timCounts.limitViolations + refusedWhole + states.failed!;
      await doneTim(timCounts, !error && timBad === 0);

      const geweExpected = new Set(geweJobs.map((j) => resultKey('pace', j.v3)));
      const geweDelivery = countDelivery(
        geweExpected,
        results.filter((r) => r.provider === 'gewe'),
      );
      const geweArrivals = await gewe.arrivals();
      const gaps = [
        ...leastGapsByKey(
          geweArrivals,
          (a) => a.appId,
          (a) => a.at,
        ).values(),
      ];
      const leastGapMs = Math.round(Math.min(...gaps) * 10) / 10;
      const tooClose = gaps.filter((g) => g < GEWE_INTERVAL_MS - SPACING_SLACK_MS).length;
      const geweOverlaps = geweArrivals.filter((a) => a.overlap).length;
      const geweCounts = {
        ...geweDelivery,
        limitViolations: tooClose + geweOverlaps,
        leastGapMs,
        intervalMs: GEWE_INTERVAL_MS,
        accountsTooClose: tooClose,
        overlaps: geweOverlaps,
        calls: geweArrivals.length,
        keysDeleted: deleted,
        failedJobs: states.failed!,
      };
      await doneGewe(geweCounts, !error && geweDelivery.lost + geweDelivery.duplicated + geweCounts.limitViolations + states.failed! === 0);

      if (error) throw error;
      expect({ failed: states.failed, lost: timDelivery.lost + geweDelivery.lost, duplicated: timDelivery.duplicated + geweDelivery.duplicated }).toEqual({
        failed: 0,
        lost: 0,
        duplicated: 0,
      });
      expect({ overLimit: rate.windowsOverLimit, timOverlaps, refusedWhole }).toEqual({ overLimit: 0, timOverlaps: 0, refusedWhole: 0 });
      expect({ tooClose, geweOverlaps, geweCalls: geweArrivals.length }).toEqual({ tooClose: 0, geweOverlaps: 0, geweCalls: geweJobs.length });
      expect(geweDelivery.outcomes).toEqual({ requested: geweJobs.length });
      expect(deleted).toBeGreaterThan(5);
    },
    caseTimeoutMs(110_000, 450_000),
  );
});
