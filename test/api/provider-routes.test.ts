import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keys } from '../../src/lib/keys.js';
import { CredentialSuspensions } from '../../src/fleet/credential-suspensions.js';
import { ownFingerprints } from '../../src/fleet/provider-status.js';
import { createHarness, TEST_GEWE_TOKEN, TEST_SDKAPPID, TEST_TIM_KEY, type Harness } from '../helpers/harness.js';
import { buildTestApi } from './api-helpers.js';
import { parseProm } from '../metrics/prom-text.js';

/** What an operator sees of the providers: the route, readiness, and the metric. */
describe('API: providers', () => {
  let h: Harness;
  let app: FastifyInstance;
  let suspensions: CredentialSuspensions;

  beforeAll(async () => {
    h = createHarness('api-providers', { TIM_SDKAPPID: TEST_SDKAPPID, TIM_SECRET_KEY: TEST_TIM_KEY, GEWE_TOKEN: TEST_GEWE_TOKEN, PROVIDERS: 'tim,gewe' });
    app = await buildTestApi(h);
    suspensions = new CredentialSuspensions(h.redis, new Keys(h.prefix));
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  const providers = async () => (await app.inject({ url: '/v1/providers' })).json().providers as Array<Record<string, unknown>>;

  it('lists both providers, enabled, not suspended, with the TIM rate', async () => {
    const [tim, gewe] = await providers();
    expect(tim).toMatchObject({ provider: 'tim', enabled: true, suspended: false, suspensions: [], rate: { limitPerSec: 100, currentPerSec: 100 } });
    expect(gewe).toMatchObject({ provider: 'gewe', enabled: true, suspended: false });
  });

  it('shows a suspension of our credential in the route, /readyz and the metric, never the secret', async () => {
    const fingerprint = ownFingerprints(h.config).gewe!;
    await suspensions.suspend('gewe', fingerprint, 500, 'token invalid', Date.now(), 60_000);
    const gewe = (await providers())[1]!;
    expect(gewe).toMatchObject({ suspended: true, suspensions: [{ fingerprint, code: 500, info: 'token invalid', ours: true }] });
    const ready = await app.inject({ url: '/readyz' });
    expect([ready.statusCode, ready.json().providers]).toEqual([200, { tim: 'ok', gewe: 'suspended' }]);
    const metrics = await app.inject({ url: '/metrics' });
    const suspended = parseProm(metrics.body).filter((m) => m.name === 'friend_add_provider_suspended');
    expect(suspended.map((m) => [m.labels.provider, m.value])).toEqual([
      ['tim', 0],
      ['gewe', 1],
    ]);
    expect(JSON.stringify(await providers())).not.toContain(TEST_GEWE_TOKEN);
    await suspensions.lift('gewe', fingerprint);
    expect((await providers())[1]).toMatchObject({ suspended: false });
  });

  it('shows the rate the TIM gate grants after a 60007', async () => {
    await h.redis.hset(new Keys(h.prefix).timGate(TEST_SDKAPPID), 'prate', '50', 'pat', String(Date.now()));
    expect((await providers())[0]).toMatchObject({ rate: { limitPerSec: 100, currentPerSec: 50 } });
  });
});
