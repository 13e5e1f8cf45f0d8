import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { createLogger } from '../../src/lib/logger.js';
import { buildTestApi, timBody } from './api-helpers.js';

const TOKEN = 'api-token-for-tests-7d1e0c';

describe('API: bearer token', () => {
  let h: Harness;
  let secured: FastifyInstance;
  let open: FastifyInstance;
  let logged = '';

  beforeAll(async () => {
    h = createHarness('api-auth');
    const destination = new Writable({
      write: (chunk, _enc, done) => {
        logged += String(chunk);
        done();
      },
    });
    secured = await buildTestApi(h, { API_TOKEN: TOKEN }, createLogger({ level: 'debug', destination }));
    open = await buildTestApi(h);
  });
  afterAll(async () => {
    await secured.close();
    await open.close();
    await h.close();
  });

  const submit = (app: FastifyInstance, authorization?: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/tim/friend-add',
      headers: authorization ? { authorization } : {},
      payload: timBody(`auth-${Math.random()}`, ['ok_1']),
    });

  it('answers 401 without the token, or with a wrong one, on every /v1 route', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      const res = await submit(secured, authorization);
      expect([res.statusCode, res.json()]).toEqual([401, { error: 'missing or wrong bearer token' }]);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    const routes = [
      ['GET', '/v1/requests/x'],
      ['POST', '/v1/requests/x/cancel'],
      ['POST', '/v1/requests/x/retry-failed'],
      ['POST', '/v1/accounts/tim/a/pause'],
      ['POST', '/v1/accounts/tim/a/resume'],
      ['PUT', '/v1/gewe/accounts/wx'],
      ['POST', '/v1/gewe/add-contacts'],
    ] as const;
    for (const [method, url] of routes) expect((await secured.inject({ method, url })).statusCode).toBe(401);
  });

  it('lets the right token through, and checks auth before the body', async () => {
    expect((await submit(secured, `Bearer ${TOKEN}`)).statusCode).toBe(202);
    expect((await submit(secured, `bearer ${TOKEN}`)).statusCode).toBe(202);
    const badBody = await secured.inject({ method: 'POST', url: '/v1/tim/friend-add', payload: { nothing: true } });
    expect(badBody.statusCode).toBe(401);
  });

  it('asks no token for health, the OpenAPI document and Swagger UI', async () => {
    for (const url of ['/healthz', '/readyz', '/docs/openapi.json', '/docs']) expect((await secured.inject({ url })).statusCode).toBe(200);
  });

  it('asks no token when API_TOKEN is unset', async () => {
    expect((await submit(open)).statusCode).toBe(202);
  });

  it('never logs the token', async () => {
    await submit(secured, `Bearer ${TOKEN}`);
    await submit(secured, `Bearer ${TOKEN}-wrong`);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged).not.toContain(TOKEN);
  });
});
