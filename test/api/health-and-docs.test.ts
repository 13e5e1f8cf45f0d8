import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { createRedis } from '../../src/lib/redis.js';
import { createLogger } from '../../src/lib/logger.js';
import { buildApiServer } from '../../src/api/server.js';
import { buildTestApi } from './api-helpers.js';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('API: health and the OpenAPI document', () => {
  let h: Harness;
  let app: FastifyInstance;

  beforeAll(async () => {
    h = createHarness('api-health');
    app = await buildTestApi(h);
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('answers /healthz and /readyz 200 while Redis answers', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ url: '/readyz' });
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready', redis: 'ok', providers: { tim: 'ok', gewe: 'ok' } }]);
  });

  it('answers /readyz 503 within about a second when Redis does not answer, and /healthz 200', async () => {
    const redis = createRedis(`redis://127.0.0.1:${await closedPort()}`);
    redis.on('error', () => undefined);
    const down = await buildApiServer({ config: h.config, connection: redis, logger: createLogger({ level: 'silent' }), readyTimeoutMs: 1000 });
    try {
      const started = Date.now();
      const ready = await down.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'unavailable' });
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await down.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await down.close();
      redis.disconnect();
    }
  });

  it('serves an OpenAPI 3 document naming every route, with the contract\'s schemas', async () => {
    const res = await app.inject({ url: '/docs/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const doc = JSON.parse(res.body);
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/healthz',
      '/readyz',
      '/v1/accounts',
      '/v1/accounts/{provider}/{account}',
      '/v1/accounts/{provider}/{account}/pause',
      '/v1/accounts/{provider}/{account}/resume',
      '/v1/callbacks/gewe/{secret}',
      '/v1/callbacks/tim',
      '/v1/gewe/accounts/{appId}',
      '/v1/gewe/accounts/{appId}/auto-accept',
      '/v1/gewe/accounts/{appId}/friend-requests',
      '/v1/gewe/add-contacts',
      '/v1/providers',
      '/v1/requests/{requestId}',
      '/v1/requests/{requestId}/cancel',
      '/v1/requests/{requestId}/retry-failed',
      '/v1/tim/friend-add',
    ]);
    const tim = doc.components.schemas.TimRequest;
    expect(tim.required).toEqual(['fromAccount', 'targets']);
    expect(tim.properties.targets.items.required).toEqual(['toAccount', 'addSource']);
    expect(doc.components.schemas.GeweItem.required).toEqual(['appId', 'scene', 'option', 'v3', 'v4', 'content']);
  });

  it('answers 404 with an error body for an unknown path', async () => {
    const res = await app.inject({ url: '/v2/nothing' });
    expect([res.statusCode, res.json()]).toEqual([404, { error: 'no route GET /v2/nothing' }]);
  });
});
