import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import { createHarness, type Harness } from '../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';
import { geweEnv, geweJob, startTestGeweSim } from '../helpers/gewe-sim.js';
import { waitFor } from '../helpers/wait-for.js';
import { startApi, type RunningApi } from '../../src/api/start-api.js';
import { createLogger } from '../../src/lib/logger.js';
import { setTimSimCallbacks, type TimSimulator } from '../../src/sim/tim/index.js';
import { sendSimFriendRequest, setGeweSimCallbacks, type GeweSimulator } from '../../src/sim/gewe/index.js';
import { createFriendAddClient } from '../../src/client/friend-add-client.js';
import { eventJobs, eventsQueue, GEWE_SECRET, TIM_TOKEN } from './callback-helpers.js';

const ACCEPT_INTERVAL_MS = 400;

/** The whole loop on the simulators: worker, API listening, simulators calling back. */
describe('the callback loop on the simulators', () => {
  let h: Harness;
  let tim: TimSimulator;
  let gewe: GeweSimulator;
  let api: RunningApi;
  let events: Queue;

  beforeAll(async () => {
    tim = await startTestTimSim();
    gewe = await startTestGeweSim();
    h = createHarness('loop', {
      ...timEnv(tim),
      ...geweEnv(gewe),
      TIM_CALLBACK_TOKEN: TIM_TOKEN,
      GEWE_CALLBACK_SECRET: GEWE_SECRET,
      GEWE_AUTO_ACCEPT: 'match:^hello',
      GEWE_DAILY_CAP_ACCEPT: 2,
      GEWE_ACCEPT_INTERVAL_MS: ACCEPT_INTERVAL_MS,
      API_AUTH: 'off',
    });
    await h.startWorker();
    api = await startApi(h.config, createLogger({ level: 'silent' }), { port: 0, host: '127.0.0.1' });
    await setTimSimCallbacks(tim.url, { url: `${api.url}/v1/callbacks/tim`, token: TIM_TOKEN, approveAfterMs: 100 });
    await setGeweSimCallbacks(gewe.url, { url: `${api.url}/v1/callbacks/gewe/${GEWE_SECRET}`, confirmAfterMs: 100 });
    events = eventsQueue(h);
  });
  afterAll(async () => {
    await api?.close();
    await events?.close();
    await h?.close();
    await tim?.close();
    await gewe?.close();
  });

  const confirmed = async (requestId: string) => (await eventJobs(events)).filter((j) => j.name === 'confirmed' && j.data.requestId === requestId);

  it('TIM pending targets and GeWe adds end requested, then turn confirmed', async () => {
    const client = createFriendAddClient({ connection: h.redis, config: h.config });
    await client.submitTim({ requestId: 'loop-tim', fromAccount: 'alice', targets: timTargets(['pending_a', 'pending_b', 'ok_c']) });
    await client.submitGewe({ requestId: 'loop-gewe', items: [geweJob('wx_loop', 'v3_one@stranger'), geweJob('wx_loop', 'v3_two@stranger')] });
    await client.close();
    await waitFor('2 TIM confirmations', async () => (await confirmed('loop-tim')).length === 2);
    await waitFor('2 GeWe confirmations', async () => (await confirmed('loop-gewe')).length === 2);
    const status = (await fetch(`${api.url}/v1/requests/loop-tim`).then((r) => r.json())) as Record<string, unknown>;
    expect(status).toMatchObject({ confirmed: 2, totals: { requested: 2, added: 1 }, open: 0 });
    const gStatus = (await fetch(`${api.url}/v1/requests/loop-gewe`).then((r) => r.json())) as Record<string, unknown>;
    expect(gStatus).toMatchObject({ confirmed: 2, totals: { requested: 2 } });
  });

  it('a GeWe add whose answer was lost ends unconfirmed, and its ModContacts confirms it', async () => {
    gewe.injectFault('504-after-add', 1);
    const client = createFriendAddClient({ connection: h.redis, config: h.config });
    await client.submitGewe({ requestId: 'loop-lost', items: [geweJob('wx_lost', 'v3_lost@stranger')] });
    await client.close();
    const [result] = await h.results.waitForCount(1, 20_000, 'loop-lost');
    expect(result).toMatchObject({ outcome: 'failed', code: 'unconfirmed' });
    await waitFor('its confirmation', async () => (await confirmed('loop-lost')).length === 1);
    expect((await confirmed('loop-lost'))[0]!.data).toMatchObject({ outcome: 'failed', code: 'unconfirmed', via: 'gewe:ModContacts' });
  });

  it('incoming requests whose greeting matches are auto-accepted, within the accept cap and pacing', async () => {
    const asks = ['hello 1', 'spam offer', 'hello 2', 'hello 3'];
    for (const greeting of asks) expect((await sendSimFriendRequest(gewe.url, { appId: 'wx_in', greeting })).acked).toBe(true);
    const accepts = () => gewe.arrivals().filter((a) => a.appId === 'wx_in' && a.option === 3);
    await waitFor('two accepts reach GeWe', () => accepts().length === 2);
    const [first, second] = accepts();
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(ACCEPT_INTERVAL_MS - 5);
    // The third matching request waits for tomorrow's cap: it is queued, delayed, not sent.
    await waitFor('the third accept delayed', async () => {
      const left = (await h.input.getJobs(['delayed'])).filter((j) => j.data.appId === 'wx_in' && j.data.option === 3);
      return left.length === 1;
    });
    expect(accepts()).toHaveLength(2);
    const incoming = (await eventJobs(events)).filter((j) => j.name === 'incoming_request' && j.data.account === 'wx_in');
    expect(incoming).toHaveLength(4);
    expect(incoming.filter((j) => j.data.autoAccept)).toHaveLength(3);
    const open = (await fetch(`${api.url}/v1/gewe/accounts/wx_in/friend-requests`).then((r) => r.json())) as { requests: { greeting: string }[] };
    expect(open.requests.map((r) => r.greeting)).toEqual(['spam offer']);
  });
});
