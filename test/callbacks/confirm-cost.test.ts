import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { PrivateRedis } from '../helpers/private-redis.js';
import { connectRedis } from '../helpers/redis.js';
import { createLogger } from '../../src/lib/logger.js';
import { Keys } from '../../src/lib/keys.js';
import { JobStore } from '../../src/queue/job-store.js';
import { CallbackKeys } from '../../src/callbacks/callback-keys.js';
import { handleTimCallback } from '../../src/callbacks/tim-callback.js';
import { EventOutbox } from '../../src/events/event-outbox.js';
import { EVENTS_QUEUE, INPUT_QUEUE } from '../../src/queue/names.js';
import { timFriendAddBody } from './callback-helpers.js';

const REQUESTS = 100;
const TARGETS_PER_REQUEST = 100; // 10,000 confirmations in all
const NEVER_CONFIRMED = 90_000; // more backlog in the index that no callback names
const CHUNK = 1000;
const TTL_MS = 72 * 3600_000;
const PREFIX = 'cost';

/** Every command Redis ran (scripts' own commands included), from INFO commandstats. */
async function commandsRun(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let calls = 0;
  for (const m of info.matchAll(/calls=(\d+)/g)) calls += Number(m[1]);
  return calls;
}

/**
 * What one confirmation costs Redis, measured on a private redis-server so nobody else's commands
 * count: 10,000 callbacks for targets spread over 100 requests and 10 accounts, with 90,000 more
 * confirmable results in the index, in chunks of 1,000. The cost per callback must not grow with
 * the backlog: the index is keyed by (provider, account, target). Figures go to docs/benchmarks.md.
 */
describe('the cost of a confirmation', () => {
  let server: PrivateRedis;
  let redis: Redis;
  let events: Queue;
  let input: Queue;

  beforeAll(async () => {
    server = await PrivateRedis.start();
    redis = connectRedis(server.url) as Redis;
    events = new Queue(EVENTS_QUEUE, { connection: redis, prefix: PREFIX });
    input = new Queue(INPUT_QUEUE, { connection: redis, prefix: PREFIX });
  }, 30_000);
  afterAll(async () => {
    await events.close();
    await input.close();
    redis.disconnect();
    await server.destroy();
  });

  it('is flat across 10,000 confirmations over 100 requests, with 100,000 results indexed', async () => {
    const store = new JobStore(redis, new Keys(PREFIX), TTL_MS);
    const record = async (requestId: string, account: string, targets: string[]) => {
      const finals = targets.map((target) => ({
        target,
        outcome: 'requested' as const,
        code: 30539,
        info: '',
        attempts: 1,
        finishedAt: new Date().toISOString(),
      }));
      await store.record({ stateId: `${requestId}-1`, jobId: requestId, requestId, provider: 'tim', account }, finals);
    };
    const keys = new CallbackKeys(PREFIX);
    const outbox = new EventOutbox({ redis, keys, events, input, ttlMs: TTL_MS, logger: createLogger({ level: 'silent' }) });
    const deps = { redis, keys, ttlMs: TTL_MS };
    const confirmAll = async (chunk: [string, string][]) => {
      const before = await commandsRun(redis);
      const started = performance.now();
      let made = 0;
      for (const pair of chunk) {
        const outcome = await handleTimCallback(deps, JSON.stringify(timFriendAddBody([pair])));
        if (outcome.ok) made += outcome.events;
      }
      const elapsed = performance.now() - started;
      const stored = await commandsRun(redis);
      while ((await outbox.drainOnce()) > 0);
      const published = await commandsRun(redis);
      expect(made).toBe(chunk.length);
      // The INFO calls themselves count once each.
      return {
        callbacks: chunk.length,
        storeCommandsPerCallback: (stored - before - 1) / chunk.length,
        publishCommandsPerEvent: (published - stored - 1) / chunk.length,
        msPerCallback: Number((elapsed / chunk.length).toFixed(3)),
      };
    };

    // A small index first: one request of 100 targets, nothing else.
    const small = Array.from({ length: TARGETS_PER_REQUEST }, (_, i) => ['acct0', `small_t${i}`] as [string, string]);
    await record(
      'small',
      'acct0',
      small.map(([, t]) => t),
    );
    const smallIndex = await confirmAll(small);

    const pairs: [string, string][] = [];
    for (let r = 0; r < REQUESTS; r++) {
      const account = `acct${r % 10}`;
      const targets = Array.from({ length: TARGETS_PER_REQUEST }, (_, i) => `r${r}_t${i}`);
      await record(`req${r}`, account, targets);
      for (const t of targets) pairs.push([account, t]);
    }
    for (let r = 0; r < NEVER_CONFIRMED / 1000; r++) {
      await record(
        `backlog${r}`,
        `acct${r % 10}`,
        Array.from({ length: 1000 }, (_, i) => `b${r}_${i}`),
      );
    }
    // Shuffled, so the callbacks hit requests in no order.
    pairs.sort(() => Math.random() - 0.5);

    const chunks = [];
    for (let first = 0; first < pairs.length; first += CHUNK) chunks.push(await confirmAll(pairs.slice(first, first + CHUNK)));
    expect(await events.count()).toBe(REQUESTS * TARGETS_PER_REQUEST + TARGETS_PER_REQUEST);
    const storing = chunks.map((c) => c.storeCommandsPerCallback);
    const publish = chunks.map((c) => c.publishCommandsPerEvent);
    // Flat: the first chunk (index full) and the last (index nearly drained) cost the same.
    expect(Math.max(...storing) - Math.min(...storing)).toBeLessThan(0.5);
    expect(Math.max(...publish) / Math.min(...publish)).toBeLessThan(1.2);
    // And the same as with 100 results indexed instead of 100,000.
    expect(Math.abs(smallIndex.storeCommandsPerCallback - storing[0]!)).toBeLessThan(0.5);
    const machine = {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      node: process.version,
      redis: (await redis.info('server')).match(/redis_version:(\S+)/)?.[1],
      loadavg: os.loadavg().map((l) => l.toFixed(2)),
    };
    console.log(JSON.stringify({ machine, smallIndex, indexed: REQUESTS * TARGETS_PER_REQUEST + NEVER_CONFIRMED, chunks }, null, 1));
  }, 300_000);

  it('indexing adds three commands per confirmable result to record-results, none to the others', async () => {
    const store = new JobStore(redis, new Keys(PREFIX), TTL_MS);
    const costOf = async (requestId: string, outcome: 'added' | 'requested') => {
      const finals = Array.from({ length: 1000 }, (_, i) => ({
        target: `${requestId}_${i}`,
        outcome,
        code: outcome === 'added' ? 0 : 30539,
        info: '',
        attempts: 1,
        finishedAt: new Date().toISOString(),
      }));
      const before = await commandsRun(redis);
      await store.record({ stateId: `${requestId}-1`, jobId: requestId, requestId, provider: 'tim', account: 'acct0' }, finals);
      return (await commandsRun(redis)) - before - 1;
    };
    const added = await costOf('rec-added', 'added');
    const requested = await costOf('rec-requested', 'requested');
    console.log(JSON.stringify({ recordResults1000: { added, requested, extraPerConfirmable: (requested - added) / 1000 } }));
    expect((requested - added) / 1000).toBe(3);
  });
});
