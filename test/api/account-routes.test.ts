import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { Keys } from '../../src/lib/keys.js';
import { buildTestApi } from './api-helpers.js';

describe('API: accounts', () => {
  let h: Harness;
  let app: FastifyInstance;
  let keys: Keys;

  beforeAll(async () => {
    h = createHarness('api-accounts');
    app = await buildTestApi(h);
    keys = new Keys(h.prefix);
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('pauses and resumes an account of either provider: 204', async () => {
    for (const provider of ['tim', 'gewe'] as const) {
      const pause = await app.inject({ method: 'POST', url: `/v1/accounts/${provider}/acct_1/pause` });
      expect([pause.statusCode, pause.body]).toEqual([204, '']);
      expect(await h.redis.hget(keys.account(provider, 'acct_1'), 'paused')).toBe('1');
      const resume = await app.inject({ method: 'POST', url: `/v1/accounts/${provider}/acct_1/resume` });
      expect(resume.statusCode).toBe(204);
      expect(await h.redis.hget(keys.account(provider, 'acct_1'), 'paused')).toBeNull();
    }
  });

  it('answers 400 for an unknown provider', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/accounts/wechat/acct_1/pause' });
    expect([res.statusCode, res.json()]).toEqual([400, expect.objectContaining({ field: 'provider' })]);
  });

  it('PUT /v1/gewe/accounts/:appId records onlineSince: 204; a bad time answers 400', async () => {
    const at = '2026-01-02T03:04:05.000Z';
    const res = await app.inject({ method: 'PUT', url: '/v1/gewe/accounts/wx_9', payload: { onlineSince: at } });
    expect(res.statusCode).toBe(204);
    expect(await h.redis.hget(keys.geweAccounts(), 'wx_9')).toBe(String(Date.parse(at)));
    const offset = await app.inject({ method: 'PUT', url: '/v1/gewe/accounts/wx_9', payload: { onlineSince: '2026-01-02T11:04:05+08:00' } });
    expect(offset.statusCode).toBe(204);
    expect(await h.redis.hget(keys.geweAccounts(), 'wx_9')).toBe(String(Date.parse(at)));
    for (const payload of [{ onlineSince: 'yesterday' }, {}, { onlineSince: 5 }]) {
      const bad = await app.inject({ method: 'PUT', url: '/v1/gewe/accounts/wx_9', payload });
      expect([bad.statusCode, bad.json()]).toEqual([400, expect.objectContaining({ field: 'onlineSince' })]);
    }
  });
});
