import { afterEach, describe, expect, it } from 'vitest';
import { AccountStates } from '../../src/accounts/account-state.js';
import { Keys } from '../../src/lib/keys.js';
import type { GeweSimulator } from '../../src/sim/gewe/index.js';
import { caseTimeoutMs, sized } from '../helpers/faults-mode.js';
import { startCase } from '../helpers/faults-summary.js';
import { geweEnv, geweJob, startTestGeweSim } from '../helpers/gewe-sim.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { byTarget } from '../helpers/results.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Field faults of the GeWe path, as a real fleet meets them: a gateway in front of GeWe that made
 * the add and then answers 504 or resets, a stale v4, and accepts arriving behind a backlog of adds.
 */
describe('faults: GeWe in the field', () => {
  let sim: GeweSimulator | undefined;
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.close();
    await sim?.close();
    h = undefined;
    sim = undefined;
  });

  async function world(label: string, env: Record<string, string | number>) {
    sim = await startTestGeweSim();
    h = createHarness(label, geweEnv(sim, { HTTP_TIMEOUT_MS: 1000, ...env }));
    await h.startWorker();
    return { sim, h };
  }

  it(
    'a gateway that made the add, then answered 504 or reset: each v3 reached GeWe once and ends unconfirmed',
    async () => {
      const done = startCase('field-gewe-made-then-failed');
      const { sim, h } = await world('field-gewe-504', {});
      const perKind = sized(2, 6);
      const wrong: string[] = [];
      const cases: Array<{ requestId: string; v3: string; option: 2 | 3; kind: '504-after-add' | 'reset-after-add' }> = [];
      for (const kind of ['504-after-add', 'reset-after-add'] as const) {
        for (let i = 0; i < perKind; i++) {
          for (const option of [2, 3] as const) {
            const requestId = `made-${kind}-${option}-${i}`;
            const v3 = `v3_ok_${requestId}`;
            cases.push({ requestId, v3, option, kind });
            // One call at a time, so that the fault lands on this call.
            sim.injectFault(kind, 1);
            await h.input.add('gewe', { requestId, ...geweJob(`wx_${requestId}`, v3, option === 3 ? { option, scene: 6 } : {}) });
            const [result] = await h.results.waitForCount(1, 20_000, requestId);
            const calls = sim.callsPerV3()[v3] ?? 0;
            // An add: never sent again, whatever came back. An accept reaches nobody twice: sent again, and done.
            const want = option === 2 ? { outcome: 'failed', code: 'unconfirmed', calls: 1 } : { outcome: 'added', code: 200, calls: 2 };
            const got = { outcome: result!.outcome, code: result!.code, calls };
            if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${requestId}: ${JSON.stringify(got)}`);
            if (option === 2 && !/may have been made/.test(result!.info)) wrong.push(`${requestId}: info ${result!.info}`);
          }
        }
      }
      const results = await h.results.all();
      const duplicated = results.length - byTarget(results).size;
      const sentTwice = cases.filter((c) => c.option === 2 && (sim.callsPerV3()[c.v3] ?? 0) !== 1).length;
      const counts = {
        targets: cases.length,
        lost: cases.length - byTarget(results).size,
        duplicated,
        limitViolations: sim.violations().length,
        notAsContract: wrong.length,
        sentTwice,
      };
      await done(counts, wrong.length + duplicated + sentTwice + counts.lost + counts.limitViolations === 0);
      expect(wrong).toEqual([]);
      expect({ sentTwice, duplicated, lost: counts.lost }).toEqual({ sentTwice: 0, duplicated: 0, lost: 0 });
      expect(sim.violations()).toEqual([]);
    },
    caseTimeoutMs(60_000, 180_000),
  );

  it(
    "a stale v4 refuses that one target; the account's other adds go on and end requested",
    async () => {
      const done = startCase('field-gewe-stale-v4');
      const { sim, h } = await world('field-gewe-v4', { GEWE_INTERVAL_MS: 100, GEWE_NEW_INTERVAL_MS: 100 });
      const others = sized(4, 12);
      const appId = 'wx_stale';
      await h.input.add('gewe', { requestId: 'stale', ...geweJob(appId, 'v3_ok_before') });
      await h.input.add('gewe', { requestId: 'stale', ...geweJob(appId, 'v3_ticket_stale') });
      for (let i = 1; i < others; i++) await h.input.add('gewe', { requestId: 'stale', ...geweJob(appId, `v3_ok_after_${i}`) });
      const results = await h.results.waitForCount(others + 1, 30_000, 'stale');
      const outcomes = Object.fromEntries(results.map((r) => [r.target, r.outcome]));
      const account = await new AccountStates(h.redis, new Keys(h.prefix)).read('gewe', appId);
      const wrongOthers = results.filter((r) => r.target !== 'v3_ticket_stale' && r.outcome !== 'requested').length;
      const counts = {
        targets: others + 1,
        lost: others + 1 - byTarget(results).size,
        duplicated: results.length - byTarget(results).size,
        limitViolations: sim.violations().length,
        wrongOthers,
        parked: account.parked,
        strikes: account.strikes,
      };
      await done(counts, outcomes.v3_ticket_stale === 'refused' && wrongOthers === 0 && !account.parked && counts.duplicated === 0);
      expect(results.find((r) => r.target === 'v3_ticket_stale')).toMatchObject({ outcome: 'refused', code: 500, attempts: 1 });
      expect(results.find((r) => r.target === 'v3_ticket_stale')!.info).toMatch(/user ticket invalid/);
      expect(wrongOthers).toBe(0);
      expect({ parked: account.parked, strikes: account.strikes }).toEqual({ parked: false, strikes: 0 });
      expect(sim.callsPerV3().v3_ticket_stale).toBe(1);
      expect(sim.violations()).toEqual([]);
    },
    caseTimeoutMs(60_000, 120_000),
  );

  it(
    'an account with 50 queued adds makes each accept within one accept interval of when its lane allowed it',
    async () => {
      const done = startCase('field-gewe-accept-lane');
      const ADD_MS = 400;
      const ACCEPT_MS = sized(1000, 1500);
      const ACCEPTS = sized(3, 6);
      // Slow adds hold the account for most of their interval, so accepts meet it busy.
      const { sim, h } = await world('field-gewe-lane', { GEWE_INTERVAL_MS: ADD_MS, GEWE_NEW_INTERVAL_MS: ADD_MS, GEWE_ACCEPT_INTERVAL_MS: ACCEPT_MS });
      const appId = 'wx_backlog';
      for (let i = 0; i < 50; i++) await h.input.add('gewe', { requestId: 'backlog', ...geweJob(appId, `v3_slow250_add_${i}`) });
      const arrivalsOf = (prefix: string) => sim.arrivals().filter((a) => a.appId === appId && a.v3.startsWith(prefix));
      await waitFor('the backlog to be under way', () => arrivalsOf('v3_slow250_add_').length >= 2, 20_000);
      const queuedAt = Date.now();
      for (let i = 0; i < ACCEPTS; i++) {
        await h.input.add('gewe', { requestId: 'accepts', ...geweJob(appId, `v3_ok_accept_${i}`, { option: 3, scene: 6 }) });
      }
      const accepted = await h.results.waitForCount(ACCEPTS, 30_000, 'accepts');
      const acceptCalls = arrivalsOf('v3_ok_accept_').sort((a, b) => a.at - b.at);
      const accepts = acceptCalls.map((a) => a.at);
      const adds = arrivalsOf('v3_slow250_add_')
        .map((a) => a.at)
        .sort((a, b) => a - b);
      // The first accept may go as soon as it is queued; each next one an interval after the one
      // before ended (the lane is spaced between calls, as adds are). Each must be made within one
      // accept interval of that moment, however many adds wait.
      const allowedAt = acceptCalls.map((_, k) => (k === 0 ? queuedAt : acceptCalls[k - 1]!.endedAt! + ACCEPT_MS));
      const lateness = accepts.map((at, k) => Math.round(at - allowedAt[k]!));
      const gaps = accepts.slice(1).map((at, k) => Math.round(at - accepts[k]!));
      const addGaps = adds.slice(1).map((at, k) => Math.round(at - adds[k]!));
      const counts = {
        targets: ACCEPTS,
        lost: ACCEPTS - accepted.length,
        duplicated: 0,
        limitViolations: sim.violations().length,
        acceptIntervalMs: ACCEPT_MS,
        lateness,
        gaps,
        addsMadeMeanwhile: adds.length,
        leastAddGapMs: Math.min(...addGaps),
      };
      const passed = lateness.every((ms) => ms <= ACCEPT_MS) && gaps.every((g) => g >= ACCEPT_MS - 20) && adds.length < 50 && counts.limitViolations === 0;
      await done(counts, passed);
      expect(accepted.every((r) => r.outcome === 'added')).toBe(true);
      expect(accepts).toHaveLength(ACCEPTS);
      for (const ms of lateness) expect(ms).toBeLessThanOrEqual(ACCEPT_MS);
      // Accepts keep their own spacing, and adds theirs, measured at arrival.
      for (const g of gaps) expect(g).toBeGreaterThanOrEqual(ACCEPT_MS - 20);
      for (const g of addGaps) expect(g).toBeGreaterThanOrEqual(ADD_MS - 20);
      // The accepts did not wait for the backlog: most of the adds are still to come.
      expect(adds.length).toBeLessThan(50);
      // One call in flight per account, accepts and adds together.
      expect(sim.violations()).toEqual([]);
    },
    caseTimeoutMs(60_000, 120_000),
  );
});
