import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../src/config/load.js';
import { createLogger } from '../../src/lib/logger.js';
import { startApi, type RunningApi } from '../../src/api/start-api.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { scrape, sampleSum } from './prom-text.js';
import { AccountStates } from '../../src/accounts/account-state.js';
import { Keys } from '../../src/lib/keys.js';

describe('GET /metrics on the API server', () => {
  let h: Harness;
  let api: RunningApi;

  beforeAll(async () => {
    h = createHarness('metrics-api');
    // A GeWe-only worker announced itself before the API started: its hand-off queue is shown.
    await h.redis.hset(`${h.prefix}:fa:fleet:served`, 'gewe', String(Date.now()));
    const config = configWith({ ...h.env, API_TOKEN: 'api-token-not-for-metrics', RESULTS_WEBHOOK_URL: 'http://127.0.0.1:9/hook' });
    api = await startApi(config, createLogger({ level: 'silent' }), { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await api.close();
    await h.close();
  });

  it('serves Prometheus text without the API token: queue depths (the webhook and hand-off queues too), accounts, process', async () => {
    await h.input.add('tim', { requestId: 'api-metrics' });
    await new AccountStates(h.redis, new Keys(h.prefix)).park('gewe', 'wx_1', 'offline');
    // The API looks for hand-off queues as it starts, without holding its start up for Redis.
    const handoff = (x: { name: string; labels: Record<string, string> }) => x.name === 'friend_add_queue_jobs' && x.labels.queue === 'friend-add.for.gewe';
    await expect.poll(async () => (await scrape(`${api.url}/metrics`)).some(handoff), { timeout: 10_000 }).toBe(true);
    const s = await scrape(`${api.url}/metrics`);
    expect(sampleSum(s, 'friend_add_queue_jobs', { queue: 'friend-add', state: 'waiting' })).toBe(1);
    for (const queue of ['friend-add-results', 'friend-add-webhook']) {
      expect(s.some((x) => x.name === 'friend_add_queue_jobs' && x.labels.queue === queue)).toBe(true);
    }
    expect(sampleSum(s, 'friend_add_accounts', { provider: 'gewe', state: 'parked' })).toBe(1);
    expect(s.some((x) => x.name === 'process_cpu_user_seconds_total')).toBe(true);
  });
});
