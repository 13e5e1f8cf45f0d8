import Fastify, { type FastifyInstance } from 'fastify';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keys } from '../../src/lib/keys.js';
import { AccountStates } from '../../src/accounts/account-state.js';
import { GeweRegistry } from '../../src/accounts/gewe-registry.js';
import { RESULTS_QUEUE } from '../../src/queue/names.js';
import { createMetricsRegistry } from '../../src/metrics/registry.js';
import { registerStateMetrics } from '../../src/metrics/state-metrics.js';
import { registerMetricsRoute } from '../../src/metrics/metrics-route.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { parseProm, sampleSum, type Sample } from './prom-text.js';

describe('GET /metrics: queue depths and account states, read from Redis on scrape', () => {
  let h: Harness;
  let app: FastifyInstance;
  let results: Queue;
  let keys: Keys;

  beforeAll(async () => {
    h = createHarness('metrics-state');
    keys = new Keys(h.prefix);
    results = new Queue(RESULTS_QUEUE, { connection: h.redis, prefix: h.prefix });
    const registry = createMetricsRegistry({ processMetrics: false });
    registerStateMetrics(registry, { redis: h.redis, keys, queues: [h.input, results], config: h.config });
    app = Fastify();
    registerMetricsRoute(app, registry);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await results.close();
    await h.close();
  });

  async function scrape(): Promise<Sample[]> {
    const reply = await app.inject({ method: 'GET', url: '/metrics' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    return parseProm(reply.body);
  }
  const depth = (s: Sample[], queue: string, state: string) => sampleSum(s, 'friend_add_queue_jobs', { queue, state });
  const accounts = (s: Sample[], provider: string, state: string) => sampleSum(s, 'friend_add_accounts', { provider, state });

  it('counts waiting, delayed and prioritized jobs of friend-add and friend-add-results', async () => {
    const before = await scrape();
    expect(depth(before, 'friend-add', 'waiting')).toBe(0);
    await h.input.addBulk([1, 2, 3].map((i) => ({ name: 'tim', data: { i } })));
    await h.input.add('tim', { i: 4 }, { delay: 60_000 });
    await h.input.add('tim', { i: 5 }, { priority: 3 });
    await results.add('tim', { requestId: 'r', results: [] });
    const s = await scrape();
    expect(depth(s, 'friend-add', 'waiting')).toBe(3);
    expect(depth(s, 'friend-add', 'delayed')).toBe(1);
    expect(depth(s, 'friend-add', 'prioritized')).toBe(1);
    expect(depth(s, 'friend-add', 'active')).toBe(0);
    expect(depth(s, 'friend-add', 'failed')).toBe(0);
    expect(depth(s, 'friend-add-results', 'waiting')).toBe(1);
  });

  it('counts accounts resting after a strike, locked out, paused, parked and unregistered, from the indexes', async () => {
    const states = new AccountStates(h.redis, keys, { maxRepeats: 2, lockoutMs: 60_000 });
    const registry = new GeweRegistry(h.redis, keys, 72 * 3600_000);
    const empty = await scrape();
    for (const state of ['resting', 'paused', 'parked']) expect(accounts(empty, 'tim', state)).toBe(0);
    expect(accounts(empty, 'gewe', 'unregistered')).toBe(0);

    await states.pause('tim', 'alice');
    await states.pause('tim', 'bob');
    await states.strike('tim', 'carol', 60_000, 30540);
    await states.strike('tim', 'dave', 1, 30540, Date.now() - 10_000); // rested already
    await states.strike('tim', 'erin', 60_000, 30540);
    await states.strike('tim', 'erin', 60_000, 30540); // locked out
    await states.park('gewe', 'wx_app_1', 'offline');
    await states.pause('gewe', 'wx_app_2');
    await registry.tierOf('wx_new_1', Date.now());
    await registry.tierOf('wx_new_2', Date.now());
    await registry.setOnlineSince('wx_new_2', new Date());
    // Another deployment's account, under a prefix that merely starts the same way: not ours.
    await h.redis.hset(`${h.prefix}x:fa:acct:tim:zed`, 'paused', '1');
    try {
      const s = await scrape();
      expect(accounts(s, 'tim', 'paused')).toBe(2);
      expect(accounts(s, 'tim', 'resting')).toBe(1);
      expect(accounts(s, 'tim', 'parked')).toBe(0);
      expect(accounts(s, 'gewe', 'parked')).toBe(1);
      expect(accounts(s, 'gewe', 'paused')).toBe(1);
      expect(accounts(s, 'gewe', 'unregistered')).toBe(1);
      expect(accounts(s, 'tim', 'locked')).toBe(1);

      await states.resume('tim', 'alice');
      expect(accounts(await scrape(), 'tim', 'paused')).toBe(1);
    } finally {
      await h.redis.del(`${h.prefix}x:fa:acct:tim:zed`);
    }
  });
});
