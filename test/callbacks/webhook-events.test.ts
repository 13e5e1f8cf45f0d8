import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHarness, TEST_SDKAPPID, TEST_TIM_KEY, type Harness } from '../helpers/harness.js';
import { buildTestApi } from '../api/api-helpers.js';
import { waitFor } from '../helpers/wait-for.js';
import { startReceiver } from '../webhook/receiver.js';
import { friendRequestMsg, GEWE_SECRET, postGewe, postTim, recordResults, timFriendAddBody, TIM_TOKEN } from './callback-helpers.js';

const SECRET = 'whsec-events-test-91ab';

describe('events go to the results webhook too, signed like results', () => {
  let h: Harness;
  let app: FastifyInstance;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver(SECRET);
    h = createHarness('cbhook', {
      TIM_SDKAPPID: TEST_SDKAPPID,
      TIM_SECRET_KEY: TEST_TIM_KEY,
      TIM_BASE_URL: 'http://127.0.0.1:1',
      GEWE_TOKEN: 'test-gewe-token-9a8b7c6d5e4f',
      TIM_CALLBACK_TOKEN: TIM_TOKEN,
      GEWE_CALLBACK_SECRET: GEWE_SECRET,
      RESULTS_WEBHOOK_URL: receiver.url,
      RESULTS_WEBHOOK_SECRET: SECRET,
      API_AUTH: 'off',
    });
    await h.startWorker(); // the webhook's delivery worker runs in worker processes
    app = await buildTestApi(h);
  });
  afterAll(async () => {
    await app.close();
    await h.close();
    await receiver.close();
  });

  it('a confirmed and an incoming_request event each arrive once, verified', async () => {
    await recordResults(h, { requestId: 'hook-r', provider: 'tim', account: 'alice' }, [{ target: 'bob', outcome: 'requested', code: 30539 }]);
    await postTim(app, timFriendAddBody([['alice', 'bob']]));
    await postTim(app, timFriendAddBody([['alice', 'bob']]));
    await postGewe(app, friendRequestMsg('wx_hook', 'v3_hook@stranger', 'hi'));
    await waitFor('two event deliveries', () => receiver.accepted().length === 2);
    const bodies = receiver.accepted().map((d) => d.body as unknown as Record<string, unknown>);
    const confirmed = bodies.find((b) => b.event === 'confirmed');
    const incoming = bodies.find((b) => b.event === 'incoming_request');
    expect(confirmed).toMatchObject({ requestId: 'hook-r', target: 'bob', provider: 'tim' });
    expect(incoming).toMatchObject({ account: 'wx_hook', v3: 'v3_hook@stranger' });
    const delivery = receiver.accepted().find((d) => (d.body as unknown as Record<string, unknown>).event === 'confirmed')!;
    expect(delivery.resultJobId).toBe(confirmed!.eventId); // X-FriendAdd-Delivery is the event id
    expect(receiver.deliveries.every((d) => d.status === 200)).toBe(true);
  });
});
