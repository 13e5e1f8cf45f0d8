import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialSuspensions } from '../../../src/fleet/credential-suspensions.js';
import { Keys } from '../../../src/lib/keys.js';
import type { GeweSimulator } from '../../../src/sim/gewe/index.js';
import { createHarness, type Harness } from '../../helpers/harness.js';
import { geweEnv, geweJob, startTestGeweSim } from '../../helpers/gewe-sim.js';
import { waitFor } from '../../helpers/wait-for.js';

/** A token GeWe does not take is our configuration error: it suspends the credential, and ends no target. */
describe('GeWe: a wrong token', () => {
  let sim: GeweSimulator;
  let h: Harness;
  const RECHECK_MS = 400;

  beforeAll(async () => {
    sim = await startTestGeweSim();
    h = createHarness(
      'gewe-token',
      geweEnv(sim, { GEWE_TOKEN: 'not-the-token-0000000', PROVIDER_RECHECK_MS: RECHECK_MS, GEWE_INTERVAL_MS: 0, GEWE_NEW_INTERVAL_MS: 0 }),
    );
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  it('suspends the GeWe credential for every worker, probes it at most once per recheck, and gives no target a result', async () => {
    for (let i = 0; i < 4; i++) await h.input.add('gewe', { requestId: 'token', ...geweJob(`wx_tok_${i}`, `v3_ok_tok_${i}`) });
    const suspensions = new CredentialSuspensions(h.redis, new Keys(h.prefix));
    const [suspended] = await waitFor('the credential to be suspended', async () => {
      const list = (await suspensions.list()).filter((s) => s.provider === 'gewe');
      return list.length > 0 ? list : undefined;
    });
    expect(suspended).toMatchObject({ provider: 'gewe', info: 'token无效' });
    const started = Date.now();
    // Three probe periods: at most one call each, beside the call that found the error.
    await waitFor('three recheck periods', () => Date.now() - started > 3 * RECHECK_MS, 10_000);
    const calls = sim.arrivals().length;
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - started) / RECHECK_MS) + 1);
    expect(await h.results.all()).toEqual([]);
  });
});
