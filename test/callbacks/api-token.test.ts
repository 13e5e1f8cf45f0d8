import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHarness, TEST_SDKAPPID, TEST_TIM_KEY, type Harness } from '../helpers/harness.js';
import { buildTestApi } from '../api/api-helpers.js';
import { GEWE_SECRET, modContacts, postGewe, postTim, timFriendAddBody, TIM_TOKEN } from './callback-helpers.js';

const API_TOKEN = 'callbacks-api-token-123456';

describe('callbacks and the API token', () => {
  let h: Harness;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = createHarness('cbtoken', {
      TIM_SDKAPPID: TEST_SDKAPPID,
      TIM_SECRET_KEY: TEST_TIM_KEY,
      GEWE_TOKEN: 'test-gewe-token-9a8b7c6d5e4f',
      TIM_CALLBACK_TOKEN: TIM_TOKEN,
      GEWE_CALLBACK_SECRET: GEWE_SECRET,
      API_TOKEN,
    });
    app = await buildTestApi(h);
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('providers reach their callbacks without it; the friend-request routes want it', async () => {
    expect((await postTim(app, timFriendAddBody([['alice', 'bob']]))).json()).toMatchObject({ ErrorCode: 0 });
    expect((await postGewe(app, modContacts('wx_t', 'v3_t@stranger'))).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/gewe/accounts/wx_t/friend-requests' })).statusCode).toBe(401);
    const put = await app.inject({ method: 'PUT', url: '/v1/gewe/accounts/wx_t/auto-accept', payload: { policy: 'all' } });
    expect(put.statusCode).toBe(401);
    const authed = await app.inject({ method: 'GET', url: '/v1/gewe/accounts/wx_t/friend-requests', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(authed.statusCode).toBe(200);
  });
});
