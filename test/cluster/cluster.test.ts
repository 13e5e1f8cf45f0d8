import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from 'ioredis';
import { Queue } from 'bullmq';
import { configWith } from '../../src/config/load.js';
import { createRedis } from '../../src/lib/redis.js';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import { startGeweSimulator, type GeweSimulator } from '../../src/sim/gewe/index.js';
import { Harness, TEST_GEWE_TOKEN } from '../helpers/harness.js';
import { byTarget } from '../helpers/results.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';
import { startRedisCluster, type LocalRedisCluster } from '../helpers/redis-cluster.js';
import { createFriendAddClient } from '../../src/client/friend-add-client.js';
import { runCliProcess } from '../helpers/cli-process.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Everything on a real 3-master Redis Cluster, with a hash-tag QUEUE_PREFIX so that BullMQ's
 * scripts and ours find all their keys in one slot.
 */
describe('Redis Cluster with a hash-tag prefix', () => {
  let cluster: LocalRedisCluster;
  let tim: TimSimulator;
  let gewe: GeweSimulator;
  let h: Harness;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    tim = await startTestTimSim({ ratePerSec: 100 });
    gewe = await startGeweSimulator({ token: TEST_GEWE_TOKEN });
    const prefix = `{fa-${randomBytes(4).toString('hex')}}`;
    h = new Harness(prefix, {
      ...timEnv(tim, { RETRY_BASE_MS: 20 }),
      REDIS_URL: cluster.url,
      GEWE_BASE_URL: gewe.url,
      GEWE_TOKEN: TEST_GEWE_TOKEN,
      GEWE_NEW_INTERVAL_MS: 200,
      GEWE_INTERVAL_MS: 200,
      GEWE_JITTER: 0,
    });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([tim?.close(), gewe?.close()]);
    await cluster?.stop();
  });

  it('connects through a Cluster client when REDIS_URL lists the nodes, as the worker does', () => {
    expect(h.redis).toBeInstanceOf(Cluster);
    const workerConnection = createRedis(h.config.redisUrl);
    expect(workerConnection).toBeInstanceOf(Cluster);
    workerConnection.disconnect();
  });

  it('carries a TIM job and a GeWe job to exactly one result per target', async () => {
    const names = ['ok_c1', 'ok_c2', 'pending_c3', 'friend_c4', 'transient1_c5', 'ok_c2'];
    await h.input.add('tim', { requestId: 'cl-tim', fromAccount: 'alice', targets: timTargets(names) });
    const geweItems = ['v3_ok_g1', 'v3_ok_g2'].map((v3, i) => ({
      requestId: 'cl-gewe',
      appId: 'wx_cluster',
      scene: 3,
      option: 2,
      v3,
      v4: `v4_${i}`,
      content: 'hi',
    }));
    for (const item of geweItems) await h.input.add('gewe', item);

    const timResults = await h.results.waitForCount(5, 20_000, 'cl-tim');
    const geweResults = await h.results.waitForCount(2, 20_000, 'cl-gewe');
    const outcomes = Object.fromEntries(timResults.map((r) => [r.target, r.outcome]));
    expect(outcomes).toEqual({ ok_c1: 'added', ok_c2: 'added', pending_c3: 'requested', friend_c4: 'already_friends', transient1_c5: 'added' });
    expect(geweResults.map((r) => [r.target, r.outcome]).sort()).toEqual([
      ['v3_ok_g1', 'requested'],
      ['v3_ok_g2', 'requested'],
    ]);

    // Once more after the work settled: nothing arrives twice.
    const all = (await h.results.all()).filter((r) => r.requestId.startsWith('cl-'));
    expect(all).toHaveLength(7);
    for (const [, list] of byTarget(all)) expect(list).toHaveLength(1);
    expect(gewe.arrivals().filter((a) => a.appId === 'wx_cluster')).toHaveLength(2);
  });

  it('lets the library submit and read a request, and the CLI read it through the node list', async () => {
    const client = createFriendAddClient({ connection: h.redis, config: h.config });
    try {
      const names = Array.from({ length: 1500 }, (_, i) => `ok_lib${i}`);
      const submitted = await client.submitTim({ requestId: 'cl-lib', fromAccount: 'bob', targets: timTargets(names) });
      expect(submitted).toEqual({ requestId: 'cl-lib', jobs: 2, targets: 1500 });
      const again = await client.submitTim({ requestId: 'cl-lib', fromAccount: 'bob', targets: timTargets(names) });
      expect(again.jobs).toBe(2);
      const done = await waitFor(
        'cl-lib to finish',
        async () => {
          const status = await client.getRequest('cl-lib', { limit: 10 });
          return status && status.open === 0 ? status : undefined;
        },
        20_000,
        100,
      );
      expect(done).toMatchObject({ total: 1500, jobs: 2, resultCount: 1500 });
      expect(done.totals.added).toBe(1500);
      const results = await h.results.waitForCount(1500, 10_000, 'cl-lib');
      expect(results).toHaveLength(1500);
      expect(new Set(results.map((r) => r.target)).size).toBe(1500);
      expect(
        tim
          .arrivals()
          .filter((a) => a.fromAccount === 'bob')
          .map((a) => a.count),
      ).toEqual([1000, 500]);
    } finally {
      await client.close();
    }
    const cli = await runCliProcess(['--json', 'status', 'cl-lib'], h.env);
    expect(cli.stderr).toBe('');
    expect(JSON.parse(cli.stdout)).toMatchObject({ requestId: 'cl-lib', total: 1500, open: 0 });
  });

  it('needs the hash tag: BullMQ fails without one, and the configuration refuses it at start', async () => {
    const plain = new Queue('friend-add', { connection: h.redis, prefix: 'fa-no-tag' });
    try {
      await expect(plain.add('tim', { fromAccount: 'x', targets: [] })).rejects.toThrow(/CROSSSLOT|slot/i);
    } finally {
      await plain.close();
    }
    expect(() => configWith({ REDIS_URL: cluster.url, QUEUE_PREFIX: 'bull' })).toThrow(/QUEUE_PREFIX: a Redis Cluster .* needs a hash-tag prefix/);
  });

  it('keeps every key of the deployment in one slot, on one master', async () => {
    const cl = h.redis as Cluster;
    const perNode = await Promise.all(cl.nodes('master').map((node) => node.keys(`${h.prefix}:*`)));
    const holding = perNode.filter((keys) => keys.length > 0);
    expect(holding).toHaveLength(1);
    const slots = new Set(await Promise.all(holding[0]!.map((key) => cl.cluster('KEYSLOT', key))));
    expect(slots.size).toBe(1);
  });
});
