import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { Harness, TEST_SDKAPPID, TEST_TIM_KEY } from '../helpers/harness.js';
import { startRedisCluster, type LocalRedisCluster } from '../helpers/redis-cluster.js';
import { buildTestApi } from '../api/api-helpers.js';
import { waitFor } from '../helpers/wait-for.js';
import { eventJobs, eventsQueue, friendRequestMsg, GEWE_SECRET, postGewe, postTim, recordResults, timFriendAddBody, TIM_TOKEN } from './callback-helpers.js';

/**
 * The callback scripts build request keys from the prefix (they learn the request ids from the
 * index): on a Redis Cluster a hash-tag prefix keeps those keys in the scripts' slot.
 */
describe('callbacks on a Redis Cluster with a hash-tag prefix', () => {
  let cluster: LocalRedisCluster;
  let h: Harness;
  let app: FastifyInstance;
  let events: Queue;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    h = new Harness(`{cb-${randomBytes(4).toString('hex')}}`, {
      REDIS_URL: cluster.url,
      TIM_SDKAPPID: TEST_SDKAPPID,
      TIM_SECRET_KEY: TEST_TIM_KEY,
      GEWE_TOKEN: 'test-gewe-token-9a8b7c6d5e4f',
      TIM_CALLBACK_TOKEN: TIM_TOKEN,
      GEWE_CALLBACK_SECRET: GEWE_SECRET,
      GEWE_AUTO_ACCEPT: 'all',
      API_AUTH: 'off',
    });
    app = await buildTestApi(h);
    events = eventsQueue(h);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await events?.close();
    await h?.close();
    await cluster?.stop();
  });

  it('confirms a result recorded before and one recorded after its callback; stores and accepts a request', async () => {
    await recordResults(h, { requestId: 'cl-r', provider: 'tim', account: 'alice' }, [{ target: 'bob', outcome: 'requested', code: 30539 }]);
    expect(
      (
        await postTim(
          app,
          timFriendAddBody([
            ['alice', 'bob'],
            ['alice', 'carol'],
          ]),
        )
      ).json().ErrorCode,
    ).toBe(0);
    await recordResults(h, { requestId: 'cl-r2', provider: 'tim', account: 'alice' }, [{ target: 'carol', outcome: 'requested', code: 30539 }]);
    expect((await postGewe(app, friendRequestMsg('wx_cl', 'v3_cl@stranger', 'hi'))).json()).toMatchObject({ kind: 'incoming', events: 1 });
    await waitFor('three events', async () => (await eventJobs(events)).length === 3);
    await waitFor('the accept job', async () => (await h.input.getJobs(['waiting'])).some((j) => j.data.v3 === 'v3_cl@stranger'));
    expect((await app.inject({ method: 'GET', url: '/v1/requests/cl-r' })).json().confirmed).toBe(1);
    expect((await app.inject({ method: 'GET', url: '/v1/requests/cl-r2' })).json().confirmed).toBe(1);
  });
});
