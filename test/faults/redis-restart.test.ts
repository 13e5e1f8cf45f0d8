import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createFriendAddClient, type FriendAddClient } from '../../src/client/friend-add-client.js';
import { startApi, type RunningApi } from '../../src/api/start-api.js';
import { createLogger } from '../../src/lib/logger.js';
import { createRedis } from '../../src/lib/redis.js';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { countDelivery } from '../helpers/delivery-counts.js';
import { keysOf, lostAcks, resubmitAll, submitStream, timRequest, waitForJobsDone } from '../helpers/fault-requests.js';
import { caseTimeoutMs, sized } from '../helpers/faults-mode.js';
import { startCase } from '../helpers/faults-summary.js';
import { PrivateRedis } from '../helpers/private-redis.js';
import { startTestTimSim, timEnv } from '../helpers/tim-sim.js';
import { waitFor } from '../helpers/wait-for.js';
import type { WorkerProcess } from '../helpers/worker-process.js';

const GRACEFUL_REQUESTS = sized(200, 2000);
const KILL_AFTER_ACKS = sized(100, 500);

/**
 * A private Redis with AOF is restarted under a running system: worker processes and the API
 * reconnect by themselves; a graceful SHUTDOWN loses no accepted target; a SIGKILL loses at most
 * the last second or so of writes, and submitting the same requestIds again recovers everything
 * without a duplicate result.
 */
describe('faults: Redis restart', () => {
  let redis: PrivateRedis;
  let sim: TimSimulator;
  let h: Harness;
  let clientRedis: Redis;
  let client: FriendAddClient;
  let api: RunningApi;
  let workers: WorkerProcess[];
  const accepted: ReturnType<typeof timRequest>[] = [];
  let refusedCount = 0;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    sim = await startTestTimSim({ ratePerSec: 100 });
    h = createHarness('faults-redis', timEnv(sim, { REDIS_URL: redis.url, JOB_LOCK_MS: 3000, RETRY_BASE_MS: 200 }));
    workers = await Promise.all([h.spawnWorker(), h.spawnWorker()]);
    // The test's own connections: errors while Redis is down are expected, and ioredis retries.
    h.redis.on('error', () => undefined);
    h.input.on('error', () => undefined);
    h.results.queue.on('error', () => undefined);
    clientRedis = createRedis(redis.url) as Redis;
    clientRedis.on('error', () => undefined);
    client = createFriendAddClient({ connection: clientRedis, config: h.config });
    api = await startApi(h.config, createLogger({ level: 'silent' }), { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await api?.close();
    await client?.close();
    clientRedis?.disconnect();
    await h?.close();
    await sim?.close();
    await redis?.destroy();
  });

  const readyz = async () => (await fetch(`${api.url}/readyz`)).status;

  it(
    'loses no accepted target across a graceful SHUTDOWN and restart mid-run',
    async () => {
      const done = startCase('redis-restart-graceful');
      for (let i = 0; i < GRACEFUL_REQUESTS; i++) {
        const request = timRequest(`ra-${i}`, i);
        await client.submitTim(request);
        accepted.push(request);
      }
      await waitFor('a quarter of the results', async () => (await h.results.queue.count()) >= GRACEFUL_REQUESTS / 4, 60_000, 100);
      await redis.shutdown();
      const downAt = Date.now();
      await waitFor('/readyz to say 503 while Redis is down', async () => (await readyz()) === 503, 10_000, 100);
      await redis.up();
      const downMs = Date.now() - downAt;
      await waitFor('/readyz to say 200 again', async () => (await readyz()) === 200, 20_000, 100);
      const viaApi = timRequest('ra-api', 0);
      const headers = { 'content-type': 'application/json' };
      expect((await fetch(`${api.url}/v1/tim/friend-add`, { method: 'POST', headers, body: JSON.stringify(viaApi) })).status).toBe(202);
      accepted.push(viaApi);
      const { error, states } = await waitForJobsDone(h.input, accepted.length, sized(90_000, 300_000));
      const delivery = countDelivery(keysOf(accepted), await h.results.all());
      const alive = workers.filter((w) => w.exitCode === undefined).length;
      const counts = { ...delivery, limitViolations: sim.violations().length, downMs, workersAlive: alive, jobStates: states };
      await done(counts, !error && delivery.lost + delivery.duplicated + delivery.unexpected === 0);
      if (error) throw error;
      expect({ lost: delivery.lost, duplicated: delivery.duplicated, unexpected: delivery.unexpected, alive }).toEqual({
        lost: 0,
        duplicated: 0,
        unexpected: 0,
        alive: 2,
      });
    },
    caseTimeoutMs(120_000, 400_000),
  );

  /**
   * Submits a steady stream, SIGKILLs Redis mid-run and starts it again; with `cutLastMs`, also
   * cuts that much of the AOF's tail first, as a power cut would under `everysec`. Then resubmits
   * every acknowledged request and counts what comes back.
   */
  async function crashMidRun(name: string, cutLastMs: number) {
    const done = startCase(name);
    const aof = redis.trackAofSize();
    const stream = submitStream((request) => client.submitTim(request), name);
    await waitFor(`${KILL_AFTER_ACKS} acknowledged submits`, () => stream.acks.length >= KILL_AFTER_ACKS && aof.samples.length > 30, 60_000, 20);
    const killAt = Date.now();
    stream.halt();
    const sizes = aof.stop();
    await redis.kill();
    const cutTo = [...sizes].reverse().find((s) => s.at <= killAt - cutLastMs)?.size ?? 0;
    const cutBytes = cutLastMs > 0 ? await redis.truncateAof(cutTo) : 0;
    await redis.up();
    await stream.stop(); // the submit in flight at the kill is answered after the restart
    await waitFor('/readyz to say 200 again', async () => (await readyz()) === 200, 20_000, 100);

    const lost = await lostAcks(h.input, stream.acks, killAt);
    // Idempotent: adds only what is missing. A refusal is counted, and the case fails on it.
    const refused = await resubmitAll((request) => client.submitTim(request), stream.acks);
    accepted.push(...stream.acks.map((a) => a.request));
    refusedCount += refused.length; // a refused resubmit adds no job to wait for
    const { error, states } = await waitForJobsDone(h.input, accepted.length - refusedCount, sized(90_000, 300_000));
    const delivery = countDelivery(keysOf(accepted), await h.results.all());
    const alive = workers.filter((w) => w.exitCode === undefined).length;
    const counts = {
      ...delivery,
      limitViolations: sim.violations().length,
      acknowledgedBeforeKill: stream.acks.filter((a) => a.at <= killAt).length,
      aofBytesCut: cutBytes,
      requestsLostBeforeResubmit: lost.count,
      resubmitsRefused: refused.length,
      oldestLostAckBeforeKillMs: lost.oldestMs,
      workersAlive: alive,
      jobStates: states,
    };
    await done(counts, !error && delivery.lost + delivery.duplicated + delivery.unexpected + refused.length === 0);
    if (error) throw error;
    expect(refused).toEqual([]);
    expect({ lost: delivery.lost, duplicated: delivery.duplicated, unexpected: delivery.unexpected, alive }).toEqual({
      lost: 0,
      duplicated: 0,
      unexpected: 0,
      alive: 2,
    });
    return counts;
  }

  it(
    'loses at most the last second of writes to a SIGKILL; a resubmit recovers it once',
    async () => {
      const counts = await crashMidRun('redis-restart-sigkill', 0);
      // everysec: Redis's own documentation allows up to two seconds in the worst case.
      expect(counts.oldestLostAckBeforeKillMs).toBeLessThanOrEqual(2000);
    },
    caseTimeoutMs(120_000, 400_000),
  );

  // A power cut: the last second is cut from the AOF. Work in flight for the lost jobs is refused
  // by their BullMQ locks (record-results.lua, init-job.lua), workers send no command twice
  // (lib/state-connection.ts), and the library adopts a request whose mark was lost.
  it(
    'recovers the last second cut from the AOF (a power cut) by resubmitting, with no duplicate',
    async () => {
      const counts = await crashMidRun('redis-restart-power-cut', 1000);
      expect(counts.aofBytesCut).toBeGreaterThan(0);
      expect(counts.requestsLostBeforeResubmit).toBeGreaterThan(0);
    },
    caseTimeoutMs(120_000, 400_000),
  );
});
