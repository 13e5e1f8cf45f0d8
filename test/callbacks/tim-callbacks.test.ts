import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { createHarness, TEST_SDKAPPID, TEST_TIM_KEY, type Harness } from '../helpers/harness.js';
import { buildTestApi } from '../api/api-helpers.js';
import { waitFor } from '../helpers/wait-for.js';
import { eventJobs, eventsQueue, keysUnder, postTim, recordResults, timFriendAddBody, timQuery, TIM_TOKEN } from './callback-helpers.js';

describe('TIM callbacks confirm requested targets', () => {
  let h: Harness;
  let app: FastifyInstance;
  let events: Queue;

  beforeAll(async () => {
    h = createHarness('timcb', { TIM_SDKAPPID: TEST_SDKAPPID, TIM_SECRET_KEY: TEST_TIM_KEY, TIM_CALLBACK_TOKEN: TIM_TOKEN, API_AUTH: 'off' });
    app = await buildTestApi(h);
    events = eventsQueue(h);
  });
  afterAll(async () => {
    await app.close();
    await events.close();
    await h.close();
  });

  const eventsFor = async (target: string) => (await eventJobs(events)).filter((j) => j.data.target === target);

  it('a pending target approved later gets one confirmed event, and the request counts it', async () => {
    await recordResults(h, { requestId: 'r1', provider: 'tim', account: 'alice' }, [
      { target: 'bob', outcome: 'requested', code: 30539 },
      { target: 'dave', outcome: 'added', code: 0 },
    ]);
    const res = await postTim(
      app,
      timFriendAddBody([
        ['alice', 'bob'],
        ['alice', 'dave'],
      ]),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    const [job] = await waitFor('the confirmed event', async () => ((await eventsFor('bob')).length === 1 ? eventsFor('bob') : undefined));
    expect(job!.name).toBe('confirmed');
    expect(job!.data).toMatchObject({
      event: 'confirmed',
      requestId: 'r1',
      provider: 'tim',
      account: 'alice',
      target: 'bob',
      outcome: 'requested',
      code: 30539,
    });
    expect(job!.id).toBe(job!.data.eventId);
    expect(await eventsFor('dave')).toHaveLength(0); // `added` needs no confirmation
    const status = await app.inject({ method: 'GET', url: '/v1/requests/r1' });
    expect(status.json()).toMatchObject({ confirmed: 1, totals: { requested: 1, added: 1 } });
  });

  it('a repeated callback adds no second event', async () => {
    await recordResults(h, { requestId: 'r2', provider: 'tim', account: 'alice' }, [{ target: 'erin', outcome: 'requested', code: 30539 }]);
    for (let i = 0; i < 3; i++) expect((await postTim(app, timFriendAddBody([['alice', 'erin']]))).statusCode).toBe(200);
    await waitFor('the event', async () => (await eventsFor('erin')).length === 1);
    // Let the pump pass over the outbox a few more times: still one.
    await waitFor('the outbox to drain', async () => (await h.redis.zcard(`${h.prefix}:fa:cb:outbox`)) === 0);
    expect(await eventsFor('erin')).toHaveLength(1);
    expect((await app.inject({ method: 'GET', url: '/v1/requests/r2' })).json().confirmed).toBe(1);
  });

  it('a callback that arrives before its result is recorded still confirms it', async () => {
    expect((await postTim(app, timFriendAddBody([['alice', 'frank']]))).statusCode).toBe(200);
    expect(await eventsFor('frank')).toHaveLength(0);
    await recordResults(h, { requestId: 'r3', provider: 'tim', account: 'alice' }, [{ target: 'frank', outcome: 'requested', code: 30539 }]);
    await waitFor('the late event', async () => (await eventsFor('frank')).length === 1);
    expect((await app.inject({ method: 'GET', url: '/v1/requests/r3' })).json().confirmed).toBe(1);
  });

  it('a callback about a pair nobody asked for is kept 6 hours, one whose result came later the full TTL', async () => {
    await postTim(app, timFriendAddBody([['zed', 'yan']]));
    const alone = await h.redis.pttl(`${h.prefix}:fa:cb:pend:tim:3:zed:yan`);
    expect(alone).toBeGreaterThan(5.9 * 3600_000);
    expect(alone).toBeLessThanOrEqual(6 * 3600_000);
    await recordResults(h, { requestId: 'r-ttl', provider: 'tim', account: 'zed' }, [{ target: 'yan', outcome: 'requested', code: 30539 }]);
    expect(await h.redis.pttl(`${h.prefix}:fa:cb:pend:tim:3:zed:yan`)).toBeLessThanOrEqual(60_000); // the test store's TTL
  });

  it('an outbox entry that cannot be published does not hold up the others', async () => {
    const poison = JSON.stringify({ k: 'event', name: 'confirmed', id: 'not:a:valid:job:id', data: {} });
    await h.redis.zadd(`${h.prefix}:fa:cb:outbox`, 0, poison);
    await recordResults(h, { requestId: 'r-poison', provider: 'tim', account: 'alice' }, [{ target: 'hank', outcome: 'requested', code: 30539 }]);
    await postTim(app, timFriendAddBody([['alice', 'hank']]));
    await waitFor('the event behind the poison', async () => (await eventsFor('hank')).length === 1);
    expect(await h.redis.zscore(`${h.prefix}:fa:cb:outbox`, poison)).not.toBe('0'); // put back for later
    await h.redis.zrem(`${h.prefix}:fa:cb:outbox`, poison);
  });

  it('a bad Sign, a stale RequestTime or a foreign SdkAppid gets 401 and no event', async () => {
    await recordResults(h, { requestId: 'r4', provider: 'tim', account: 'alice' }, [{ target: 'gina', outcome: 'requested', code: 30539 }]);
    const body = timFriendAddBody([['alice', 'gina']]);
    const bad = [
      timQuery({ token: 'not-the-token' }),
      timQuery({ sign: '' }),
      timQuery({ requestTime: Math.floor(Date.now() / 1000) - 3600 }),
      timQuery({ sdkAppId: 1400999999 }),
    ];
    for (const query of bad) {
      const res = await postTim(app, body, query);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 1 });
    }
    expect(await h.redis.exists(`${h.prefix}:fa:cb:pend:tim:5:alice:gina`)).toBe(1); // the result's index only
    expect(await h.redis.hexists(`${h.prefix}:fa:cb:pend:tim:5:alice:gina`, 'seen')).toBe(0);
    expect(await eventsFor('gina')).toHaveLength(0);
  });

  it('an unreadable body gets ErrorCode 1 and stores nothing; another command is acknowledged and ignored', async () => {
    const before = await keysUnder(h);
    const garbled = await postTim(app, '{"PairList": [');
    expect(garbled.statusCode).toBe(200);
    expect(garbled.json()).toMatchObject({ ErrorCode: 1, ErrorInfo: 'body is not JSON' });
    const wrong = await postTim(app, { CallbackCommand: 'Sns.CallbackFriendAdd', PairList: [{ From_Account: 1, To_Account: 'x' }] });
    expect(wrong.json()).toMatchObject({ ErrorCode: 1 });
    expect(wrong.json().ErrorInfo).toContain('PairList.0.From_Account');
    const other = await postTim(app, { CallbackCommand: 'State.StateChange', Info: {} });
    expect(other.json()).toMatchObject({ ErrorCode: 0 });
    expect(await keysUnder(h)).toEqual(before);
  });
});
