import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import type { ResultBatch, TargetResult } from '../domain/types.js';

/** One page of a request's final results, and how many it has in all. */
export interface ResultPage {
  count: number;
  results: TargetResult[];
}

/**
 * A request's final results, in the order they were recorded, from `offset`, at most `limit`.
 *
 * record-results.lua keeps them as whole batches, each batch's text by its id (the text of its
 * result job), and the ids in a sorted set scored by the count of results up to and including the
 * batch: a page is the batches scored above its offset. One entry per result (a list) cost Redis
 * ~1 ms per 1000-target call to cut the batch apart, and a list entry each. Results written one
 * entry each by workers before the batches (`Keys.requestResults`) come first, so a request
 * recorded across the upgrade reads whole.
 */
export async function readResultPage(redis: RedisClient, keys: Keys, requestId: string, offset: number, limit: number): Promise<ResultPage> {
  const listKey = keys.requestResults(requestId);
  const batchesKey = keys.requestResultBatches(requestId);
  const [[, listed], [, last]] = (await redis.multi().llen(listKey).zrange(batchesKey, '-1', '-1', 'WITHSCORES').exec()) as [
    [unknown, number],
    [unknown, string[]],
  ];
  const inBatches = last.length === 2 ? Number(last[1]) : 0;
  const results: TargetResult[] = [];
  if (offset < listed) {
    const page = await redis.lrange(listKey, offset, Math.min(listed, offset + limit) - 1);
    for (const json of page) results.push(JSON.parse(json) as TargetResult);
  }
  const from = Math.max(0, offset - listed);
  if (results.length < limit && from < inBatches) await readBatches(redis, keys, requestId, from, limit, results);
  return { count: listed + inBatches, results };
}

/**
 * Adds to `into` the batches' results from `from` (counted in the batches alone) until it holds
 * `limit`. The batches needed are those ending inside the page, and the first one ending after it;
 * no other is read (a 1000-target call's batch is ~170 KB).
 */
async function readBatches(redis: RedisClient, keys: Keys, requestId: string, from: number, limit: number, into: TargetResult[]): Promise<void> {
  const pageEnd = from + limit - into.length;
  const batchesKey = keys.requestResultBatches(requestId);
  const [[, inside], [, after]] = (await redis
    .multi()
    .zrangebyscore(batchesKey, `(${from}`, pageEnd, 'WITHSCORES')
    .zrangebyscore(batchesKey, `(${pageEnd}`, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    .exec()) as [[unknown, string[]], [unknown, string[]]];
  const flat = [...inside, ...after];
  const texts = await batchTexts(redis, keys.requestResultTexts(requestId), flat);
  for (let i = 0; i < flat.length && into.length < limit; i += 2) {
    const { results } = JSON.parse(texts[i / 2]!) as ResultBatch;
    const start = Number(flat[i + 1]) - results.length;
    for (let r = Math.max(0, from - start); r < results.length && into.length < limit; r++) into.push(results[r]!);
  }
}

/**
 * The JSON of each batch in `flat` (member, score, ...): a member written before the texts had
 * their own hash holds it after its id and a newline; any other member is an id in `textsKey`.
 */
async function batchTexts(redis: RedisClient, textsKey: string, flat: readonly string[]): Promise<string[]> {
  const members = flat.filter((_, i) => i % 2 === 0);
  const ids = members.filter((m) => !m.includes('\n'));
  const stored = ids.length > 0 ? await redis.hmget(textsKey, ...ids) : [];
  const byId = new Map(ids.map((id, i) => [id, stored[i]]));
  return members.map((m) => {
    const cut = m.indexOf('\n');
    if (cut >= 0) return m.slice(cut + 1);
    const text = byId.get(m);
    if (text == null) throw new Error(`result batch ${m} has no text in ${textsKey}`);
    return text;
  });
}
