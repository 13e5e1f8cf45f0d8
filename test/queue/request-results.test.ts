import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStore } from '../../src/queue/job-store.js';
import { readResultPage } from '../../src/queue/request-results.js';
import { Keys } from '../../src/lib/keys.js';
import type { RedisClient } from '../../src/lib/redis-client.js';
import type { TargetResult } from '../../src/domain/types.js';
import { connectRedis, deletePrefix, testPrefix } from '../helpers/redis.js';

const result = (target: string): TargetResult => ({ target, outcome: 'added', code: 0, info: '', attempts: 1, finishedAt: '2026-12-03T00:00:00.000Z' });
const named = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => result(`${prefix}${i}`));

describe("a request's results, paged across its batches", () => {
  let redis: RedisClient;
  const prefix = testPrefix('request-results');
  const keys = new Keys(prefix);
  const ref = (job: number, requestId: string) => ({ stateId: `${job}-1`, jobId: String(job), requestId, provider: 'tim' as const, account: 'alice' });

  beforeAll(() => {
    redis = connectRedis();
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('reads every page of batches of uneven sizes in the order recorded, whatever the page size', async () => {
    const store = new JobStore(redis, keys, 60_000);
    // Three jobs, and a later batch of the first: 5 + 1 + 3 + 2 results.
    await store.record(ref(1, 'paged'), named('a', 5), [{ target: 'late0', attempts: 1, last: { code: 30505, info: 'later' } }]);
    await store.record(ref(2, 'paged'), named('b', 1));
    await store.record(ref(3, 'paged'), named('c', 3));
    await store.record(ref(1, 'paged'), [result('a0'), ...named('late', 2)]);
    const all = [...named('a', 5), ...named('b', 1), ...named('c', 3), ...named('late', 2)].map((r) => r.target);
    for (const limit of [1, 2, 3, 4, 7, 11, 100]) {
      const seen: string[] = [];
      for (let offset = 0; offset < all.length; offset += limit) {
        const page = await readResultPage(redis, keys, 'paged', offset, limit);
        expect(page.count).toBe(all.length);
        expect(page.results.length).toBe(Math.min(limit, all.length - offset));
        seen.push(...page.results.map((r) => r.target));
      }
      expect(seen, `limit ${limit}`).toEqual(all);
    }
    expect(await readResultPage(redis, keys, 'paged', all.length, 10)).toEqual({ count: all.length, results: [] });
    expect(await readResultPage(redis, keys, 'nothing-here', 0, 10)).toEqual({ count: 0, results: [] });
  });

  it('reads results written one entry each by workers before the batches first, then the batches', async () => {
    const store = new JobStore(redis, keys, 60_000);
    // A request in flight across the upgrade: older workers pushed each result to a list.
    await redis.rpush(keys.requestResults('upgraded'), ...named('old', 3).map((r) => JSON.stringify(r)));
    await store.record(ref(4, 'upgraded'), named('new', 4));
    const all = [...named('old', 3), ...named('new', 4)];
    expect(await readResultPage(redis, keys, 'upgraded', 0, 100)).toEqual({ count: 7, results: all });
    expect((await readResultPage(redis, keys, 'upgraded', 2, 3)).results).toEqual(all.slice(2, 5));
    expect((await readResultPage(redis, keys, 'upgraded', 4, 2)).results).toEqual(all.slice(4, 6));
  });

  it('reads batches kept whole in the sorted set by workers before the texts had their own hash, then the new ones', async () => {
    const store = new JobStore(redis, keys, 60_000);
    // A request in flight across the upgrade: older workers kept `<id>\n<batch JSON>` as the member.
    const inline = (id: string, results: TargetResult[]) => `${id}\n${JSON.stringify({ requestId: 'mixed', provider: 'tim', account: 'alice', results })}`;
    await redis.zadd(keys.requestResultBatches('mixed'), '2', inline('6-1-1', named('x', 2)), '5', inline('7-1-1', named('y', 3)));
    await store.record(ref(8, 'mixed'), named('z', 4));
    const all = [...named('x', 2), ...named('y', 3), ...named('z', 4)];
    expect(await readResultPage(redis, keys, 'mixed', 0, 100)).toEqual({ count: 9, results: all });
    expect((await readResultPage(redis, keys, 'mixed', 3, 4)).results).toEqual(all.slice(3, 7));
    expect((await readResultPage(redis, keys, 'mixed', 6, 2)).results).toEqual(all.slice(6, 8));
    // The new batch went in by id, its text apart.
    expect(await redis.zrange(keys.requestResultBatches('mixed'), '-1', '-1')).toEqual(['8-1-1']);
    expect(await redis.hkeys(keys.requestResultTexts('mixed'))).toEqual(['8-1-1']);
  });

  it('names the batch whose text is missing, rather than a page short of it', async () => {
    const store = new JobStore(redis, keys, 60_000);
    await store.record(ref(9, 'torn'), named('t', 2));
    await redis.del(keys.requestResultTexts('torn'));
    await expect(readResultPage(redis, keys, 'torn', 0, 10)).rejects.toThrow(/result batch 9-1-1 has no text/);
  });

  it('keeps the batches and their texts as long as the request: each record renews their expiry', async () => {
    const store = new JobStore(redis, keys, 60_000);
    await store.record(ref(5, 'kept'), named('k', 2));
    for (const key of [keys.requestResultBatches('kept'), keys.requestResultTexts('kept')]) {
      const ttl = await redis.pttl(key);
      expect(ttl, key).toBeGreaterThan(50_000);
      expect(ttl, key).toBeLessThanOrEqual(60_000);
    }
  });
});
