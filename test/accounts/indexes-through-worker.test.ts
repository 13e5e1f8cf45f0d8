import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import { Keys } from '../../src/lib/keys.js';
import { listAccounts } from '../../src/accounts/account-index.js';
import { readAccountView } from '../../src/accounts/account-view.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';

/** The indexes as the worker's own paths keep them: a strike rests, an answer clears, a run locks out. */
describe('account indexes through a worker', () => {
  let sim: TimSimulator;
  let h: Harness;

  beforeAll(async () => {
    sim = await startTestTimSim({ ratePerSec: 100 });
    h = createHarness('acctidx-worker', timEnv(sim, { RETRY_BASE_MS: 20, STRIKE_BACKOFF_MS: 50, STRIKE_MAX_REPEATS: 3 }));
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  it('a struck account that then adds leaves the resting index; three strikes in a row put one in the locked index', async () => {
    const keys = new Keys(h.prefix);
    await h.input.add('tim', { requestId: 'once', fromAccount: 'struck_once', targets: timTargets(['strike1_a']) });
    await h.input.add('tim', { requestId: 'run', fromAccount: 'struck_run', targets: timTargets(['strike9_b']) });
    const results = await h.results.waitForCount(2, 20_000);
    expect(Object.fromEntries(results.map((r) => [r.target, r.outcome]))).toEqual({ strike1_a: 'added', strike9_b: 'failed' });
    const now = Date.now();
    const page = await listAccounts(h.redis, keys, { provider: 'tim', offset: 0, limit: 10 }, now);
    expect(page.accounts.map((a) => `${a.state}:${a.account}`)).toEqual(['locked:struck_run']);
    // The resting index kept no entry for the account whose next call answered.
    expect(await h.redis.zscore(keys.accountIndex('tim', 'resting'), 'struck_once')).toBeNull();
    const view = await readAccountView(h.redis, keys, h.config, 'tim', 'struck_run', now);
    expect(view).toMatchObject({ states: ['locked'], lockedStrikes: 3, strikeCode: 30540 });
  });
});
