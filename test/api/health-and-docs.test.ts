import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { createRedis } from '../../src/lib/redis.js';
import { createLogger } from '../../src/lib/logger.js';
import { buildApiServer } from '../../src/api/server.js';
import { UNDOCUMENTED_PREFIXES } from '../../src/api/openapi.js';
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

  it('documents every registered route in the generated OpenAPI document, except the deliberately hidden ones', async () => {
    const routes: RouteOptions[] = [];
    const walked = await buildApiServer({
      config: h.config,
      connection: h.redis,
      logger: createLogger({ level: 'silent' }),
      eventPump: false,
      onRoute: (route) => void routes.push(route),
    });
    try {
      await walked.ready();
      const res = await walked.inject({ url: '/docs/openapi.json' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(doc.openapi).toMatch(/^3\.1/);

      const documented = new Set(Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`)));
      const missing: string[] = [];
      const hidden: string[] = [];
      for (const route of routes) {
        // fastify adds a HEAD beside every GET: documented as the GET.
        const methods = [route.method].flat().filter((m) => m !== 'HEAD' || ![route.method].flat().includes('GET'));
        const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        for (const method of methods) {
          const key = `${method === 'HEAD' ? 'GET' : method} ${path}`;
          if ((route.schema as { hide?: boolean } | undefined)?.hide) hidden.push(key);
          else if (!documented.has(key)) missing.push(key);
        }
      }
      expect(missing).toEqual([]);
      // @fastify/swagger lists a route without a schema too, bare: every operation must say what it is.
      const bare = Object.entries(doc.paths).flatMap(([path, operations]) =>
        Object.entries(operations as Record<string, { summary?: string }>)
          .filter(([, op]) => !op.summary)
          .map(([m]) => `${m.toUpperCase()} ${path}`),
      );
      expect(bare).toEqual([]);
      // Hidden on purpose, and only under the prefixes that say why (src/api/openapi.ts).
      const prefixes = Object.keys(UNDOCUMENTED_PREFIXES);
      expect(hidden.filter((key) => !prefixes.some((prefix) => key.split(' ')[1]!.startsWith(prefix)))).toEqual([]);
      expect(hidden.some((key) => key.includes('/admin/queues'))).toBe(true);

      // Every /v1 route and the routes the contract lists are there; the /v1 ones want the token.
      for (const key of [
        'POST /v1/tim/friend-add',
        'POST /v1/gewe/add-contacts',
        'GET /v1/requests/{requestId}',
        'POST /v1/callbacks/tim',
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
      ]) {
        expect(documented, key).toContain(key);
      }
      expect(doc).toMatchObject({ security: [{ bearer: [] }], components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } });
      expect(doc.paths['/healthz']!.get).toMatchObject({ security: [] });
      expect(doc.paths['/v1/callbacks/tim']!.post).toMatchObject({ security: [] });
      expect(doc.paths['/v1/tim/friend-add']!.post).not.toHaveProperty('security');
    } finally {
      await walked.close();
    }
  });

  it("generates the bodies from the worker's zod schemas", async () => {
    const doc = (await app.inject({ url: '/docs/openapi.json' })).json();
    const { schemas } = doc.components;
    expect(doc.paths['/v1/tim/friend-add'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/TimRequestInput' });
    expect(schemas.TimRequestInput.required).toEqual(['fromAccount', 'targets']);
    expect(schemas.TimRequestInput.properties.targets.items.required).toEqual(['toAccount', 'addSource']);
    expect(schemas.GeweItemInput.required).toEqual(['appId', 'scene', 'option', 'v3', 'v4', 'content']);
    expect(doc.paths['/v1/gewe/add-contacts'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/GeweRequestInput' });
    expect(schemas.Error.properties).toHaveProperty('field');
    // Descriptions come through too (they live in the schemas' registry, src/api/api-schemas.ts).
    expect(doc.paths['/v1/tim/friend-add'].post.parameters).toContainEqual(
      expect.objectContaining({ name: 'priority', in: 'query', description: expect.stringMatching(/BullMQ priority/) }),
    );
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await app.inject({ url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/swagger/i);
    expect((await app.inject({ url: '/docs/json' })).json()).toMatchObject({ openapi: expect.stringMatching(/^3\./) });
  });

  it('answers 404 with an error body for an unknown path', async () => {
    const res = await app.inject({ url: '/v2/nothing' });
    expect([res.statusCode, res.json()]).toEqual([404, { error: 'no route GET /v2/nothing' }]);
  });
});
