import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { createHarness, type Harness } from '../helpers/harness.js';
import { buildTestApi } from '../api/api-helpers.js';
import { waitFor } from '../helpers/wait-for.js';
import { eventJobs, eventsQueue, friendRequestMsg, GEWE_SECRET, keysUnder, modContacts, postGewe, recordResults } from './callback-helpers.js';

describe('GeWe callbacks', () => {
  let h: Harness;
  let app: FastifyInstance;
  let events: Queue;

  beforeAll(async () => {
    h = createHarness('gewecb', { GEWE_TOKEN: 'test-gewe-token-9a8b7c6d5e4f', GEWE_CALLBACK_SECRET: GEWE_SECRET, API_AUTH: 'off' });
    app = await buildTestApi(h);
    events = eventsQueue(h);
  });
  afterAll(async () => {
    await app.close();
    await events.close();
    await h.close();
  });

  const eventsOf = async (name: string, pick: (data: Record<string, unknown>) => boolean) =>
    (await eventJobs(events)).filter((j) => j.name === name && pick(j.data as Record<string, unknown>));
  const acceptJobs = async (appId: string) =>
    (await h.input.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.data.appId === appId && j.data.option === 3);

  it('a wrong or missing secret is 404 and stores nothing', async () => {
    const before = await keysUnder(h);
    expect((await postGewe(app, modContacts('wx_a', 'v3_x'), 'not-the-secret-at-all-000')).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/v1/callbacks/gewe', payload: '{}' })).statusCode).toBe(404);
    expect(await keysUnder(h)).toEqual(before);
  });

  it('a ModContacts naming the v3 of a requested add confirms it once; unconfirmed adds too', async () => {
    await recordResults(h, { requestId: 'g1', provider: 'gewe', account: 'wx_a' }, [{ target: 'v3_amy@stranger', outcome: 'requested', code: 200 }]);
    await recordResults(h, { requestId: 'g2', provider: 'gewe', account: 'wx_a' }, [{ target: 'v3_ben@stranger', outcome: 'failed', code: 'unconfirmed' }]);
    for (let i = 0; i < 2; i++) expect((await postGewe(app, modContacts('wx_a', 'v3_amy@stranger'))).statusCode).toBe(200);
    expect((await postGewe(app, modContacts('wx_a', 'v3_ben@stranger'))).json()).toMatchObject({ ok: true, kind: 'confirm', events: 1 });
    await waitFor('both events', async () => (await eventsOf('confirmed', (d) => d.account === 'wx_a')).length === 2);
    const [amy] = await eventsOf('confirmed', (d) => d.target === 'v3_amy@stranger');
    expect(amy!.data).toMatchObject({ requestId: 'g1', provider: 'gewe', outcome: 'requested', via: 'gewe:ModContacts' });
    expect((await app.inject({ method: 'GET', url: '/v1/requests/g2' })).json().confirmed).toBe(1);
  });

  it('a friend request is stored once, listed, emitted once; match: accepts only matching greetings', async () => {
    const put = await app.inject({ method: 'PUT', url: '/v1/gewe/accounts/wx_m/auto-accept', payload: { policy: 'match:^(hi|hello) from' } });
    expect(put.statusCode).toBe(204);
    const yes = friendRequestMsg('wx_m', 'v3_yes@stranger', 'hello from the fair');
    expect((await postGewe(app, yes)).json()).toMatchObject({ kind: 'incoming', events: 1 });
    expect((await postGewe(app, yes)).json()).toMatchObject({ kind: 'duplicate' }); // same NewMsgId
    const again = friendRequestMsg('wx_m', 'v3_yes@stranger', 'hello from the fair'); // new NewMsgId, same v3
    expect((await postGewe(app, again)).json()).toMatchObject({ kind: 'incoming', events: 0 });
    expect((await postGewe(app, friendRequestMsg('wx_m', 'v3_no@stranger', 'buy cheap watches'))).statusCode).toBe(200);

    await waitFor('two incoming events', async () => (await eventsOf('incoming_request', (d) => d.account === 'wx_m')).length === 2);
    await waitFor('one accept job', async () => (await acceptJobs('wx_m')).length === 1);
    const [accept] = await acceptJobs('wx_m');
    expect(accept!.data).toMatchObject({ appId: 'wx_m', option: 3, scene: 6, v3: 'v3_yes@stranger', v4: 'v4_v3_yes@stranger@stranger' });
    const listed = (await app.inject({ method: 'GET', url: '/v1/gewe/accounts/wx_m/friend-requests' })).json();
    expect(listed.autoAccept).toBe('match:^(hi|hello) from');
    expect(listed.requests.map((r: { v3: string }) => r.v3)).toEqual(['v3_no@stranger']);
    expect(listed.requests[0]).toMatchObject({ greeting: 'buy cheap watches', nickname: 'Nick & Co', scene: 6, autoAccept: false });
  });

  it('an accept or reject submitted through the API closes the request', async () => {
    await postGewe(app, friendRequestMsg('wx_r', 'v3_rita@stranger', 'hi'));
    const open = async () => (await app.inject({ method: 'GET', url: '/v1/gewe/accounts/wx_r/friend-requests' })).json().requests as unknown[];
    expect(await open()).toHaveLength(1);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/gewe/add-contacts',
      payload: { appId: 'wx_r', scene: 6, option: 4, v3: 'v3_rita@stranger', v4: 'v4_v3_rita@stranger@stranger', content: '' },
    });
    expect(res.statusCode).toBe(202);
    expect(await open()).toHaveLength(0);
  });

  it('a bad policy is 400; messages nobody understands are kept, not failed', async () => {
    const bad = await app.inject({ method: 'PUT', url: '/v1/gewe/accounts/wx_m/auto-accept', payload: { policy: 'match:(' } });
    expect(bad.statusCode).toBe(400);
    const text = { TypeName: 'AddMsg', Appid: 'wx_a', Data: { MsgType: 1, Content: { string: 'hello there' }, NewMsgId: 5 } };
    expect((await postGewe(app, text)).json()).toMatchObject({ ok: true, kind: 'kept' });
    expect((await postGewe(app, { TypeName: 'Offline', Appid: 'wx_a', Wxid: 'w' })).json()).toMatchObject({ ok: true, kind: 'kept' });
  });
});
