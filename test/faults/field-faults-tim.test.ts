import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import { Keys } from '../../src/lib/keys.js';
import { CredentialSuspensions } from '../../src/fleet/credential-suspensions.js';
import { createHarness, TEST_SDKAPPID, type Harness } from '../helpers/harness.js';
import { caseTimeoutMs, sized } from '../helpers/faults-mode.js';
import { startCase } from '../helpers/faults-summary.js';
import { captureLogs } from '../helpers/log-sink.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';
import { waitFor } from '../helpers/wait-for.js';
import { countDelivery, resultKey } from '../helpers/delivery-counts.js';
import type { CollectedResult } from '../helpers/results.js';

const RECHECK_MS = 1000;
const ROTATED_KEY = 'rotated-key-7e6d5c4b3a29';

/**
 * Field faults of issue 10 on the TIM side: a wrong key never ends a target, a bug never loops on
 * the provider, a worker without a provider's credentials never starts.
 */
describe('faults: field safety (TIM and configuration)', () => {
  let sim: TimSimulator | undefined;
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.close();
    await sim?.close();
    h = undefined;
    sim = undefined;
  });

  /** The case's counts for the summary: every result of `requestId` against the targets submitted. */
  const counts = (requestId: string, targets: readonly string[], results: readonly CollectedResult[], extra: Record<string, number>) => {
    const { lost, duplicated } = countDelivery(new Set(targets.map((t) => resultKey(requestId, t))), results);
    return { targets: targets.length, lost, duplicated, limitViolations: sim?.violations().length ?? 0, ...extra };
  };

  it(
    'a key rotated under a running backlog suspends the credential: 0 targets final, one probe per recheck, all added once the right key runs',
    async () => {
      const done = startCase('field-key-rotation');
      const accounts = sized(3, 10);
      sim = await startTestTimSim({ ratePerSec: 1000 });
      h = createHarness('faults-field-key', timEnv(sim, { PROVIDER_RECHECK_MS: RECHECK_MS, RETRY_BASE_MS: 20 }));
      const logs = captureLogs('warn');
      await h.startWorker(logs.logger);
      // A first job proves the key worked, then the key is rotated in the console.
      await h.input.add('tim', { requestId: 'before', fromAccount: 'acct_before', targets: timTargets(['ok_before']) });
      await h.results.waitForCount(1, 15_000, 'before');
      sim.rotateKey(ROTATED_KEY);
      const names = (i: number) => Array.from({ length: 10 }, (_, t) => `ok_${i}_${t}`);
      for (let i = 0; i < accounts; i += 1) {
        await h.input.add('tim', { requestId: 'backlog', fromAccount: `acct_rot_${i}`, targets: timTargets(names(i)) });
      }
      const suspensions = new CredentialSuspensions(h.redis, new Keys(h.prefix));
      const [suspension] = await waitFor('the credential suspended', async () => {
        const list = await suspensions.list();
        return list.length > 0 ? list : undefined;
      });
      expect(suspension).toMatchObject({ provider: 'tim', code: 70009 });
      expect(JSON.stringify(suspension)).not.toContain(h.env.TIM_SECRET_KEY);

      // Three recheck periods with the wrong key: probes only, and no target ends.
      const watchMs = 3 * RECHECK_MS + 300;
      await new Promise((r) => setTimeout(r, watchMs));
      expect((await h.results.all()).filter((r) => r.requestId === 'backlog')).toHaveLength(0);
      const afterSuspension = sim.arrivals().filter((a) => a.at > suspension!.since + 100);
      expect(afterSuspension.length).toBeLessThanOrEqual(Math.floor(watchMs / RECHECK_MS) + 1);
      expect(afterSuspension.every((a) => a.rejected === '70009')).toBe(true);
      expect(logs.lines().filter((l) => String(l.msg).startsWith('configuration error'))).toHaveLength(1);

      // A worker with the right key probes at once (another credential), and the backlog goes through.
      // Its own process, as a rotation starts one: two workers in one process wake for a due job in
      // the same order each time, and the wrong-key one could win every race for the last job.
      await h.spawnWorker({ TIM_SECRET_KEY: ROTATED_KEY });
      const results = await h.results.waitForCount(accounts * 10, 30_000, 'backlog');
      expect(results.every((r) => r.outcome === 'added' && r.attempts === 1)).toBe(true);
      const submitted = Array.from({ length: accounts }, (_, i) => names(i)).flat();
      await done(counts('backlog', submitted, results, { probes: afterSuspension.length }), true);
    },
    caseTimeoutMs(60_000, 120_000),
  );

  it(
    'a processor bug after the answer ends the targets internal_error after MAX_ATTEMPTS, with that many calls',
    async () => {
      const done = startCase('field-processor-bug');
      sim = await startTestTimSim({ ratePerSec: 1000 });
      h = createHarness('faults-field-bug', timEnv(sim, { MAX_ATTEMPTS: 3, RETRY_BASE_MS: 20 }));
      // The error backoff starts at 2 s and doubles: 3 errors in a row take 2 + 4 s at most × 1.5.
      await h.startWorker(captureLogs('fatal').logger, { CRASH_AT: 'bug-after-answer' });
      await h.input.add('tim', { requestId: 'bug', fromAccount: 'acct_bug', targets: timTargets(['pending_bug1', 'pending_bug2']) });
      const results = await h.results.waitForCount(2, 30_000, 'bug');
      expect(results.map((r) => [r.outcome, r.code])).toEqual([
        ['failed', 'internal_error'],
        ['failed', 'internal_error'],
      ]);
      expect(results[0]!.info).toMatch(/internal error 3 times in a row: injected bug at bug-after-answer/);
      expect(sim.arrivals().filter((a) => a.fromAccount === 'acct_bug')).toHaveLength(3);
      const job = (await h.input.getFailed())[0];
      expect(job?.failedReason).toMatch(/internal error 3 times in a row/);
      await done(counts('bug', ['pending_bug1', 'pending_bug2'], results, { calls: 3 }), true);
    },
    caseTimeoutMs(60_000, 60_000),
  );

  it('a worker serving GeWe without GEWE_TOKEN exits 2 and names it', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'workers/worker.ts'], {
      env: { PATH: process.env.PATH, TIM_SDKAPPID: String(TEST_SDKAPPID), TIM_SECRET_KEY: 'k' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/GEWE_TOKEN/);
  });
});
