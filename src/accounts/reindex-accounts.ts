import type { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';

/** Keys asked for per SCAN step. */
const SCAN_COUNT = 500;

export interface ReindexReport {
  /** Account hashes read. */
  accounts: number;
  /** Index entries written that were missing (an entry already there is left as it is). */
  added: number;
}

/**
 * Builds the per-state indexes (account-index.ts) from the account hashes, for state written
 * before the indexes existed: run once after upgrading (`friend-add accounts reindex`). It scans
 * the deployment's `acct:` keys, so it is an operator's step, never a scrape's or a request's.
 * Idempotent: an account already indexed keeps its entry (and its since-time).
 */
export async function reindexAccounts(redis: RedisClient, keys: Keys, now = Date.now()): Promise<ReindexReport> {
  const report: ReindexReport = { accounts: 0, added: 0 };
  // A cluster's keys are spread over its masters (all on one with a `{fa}` prefix): scan each.
  const nodes = redis.isCluster ? (redis as Cluster).nodes('master') : [redis as Redis];
  for (const node of nodes) await reindexNode(node, redis, keys, now, report);
  const unregistered = await redis.smembers(keys.geweUnregistered());
  for (const appId of unregistered) report.added += await redis.zadd(keys.accountIndex('gewe', 'unregistered'), 'NX', now, appId);
  return report;
}

async function reindexNode(node: Redis, redis: RedisClient, keys: Keys, now: number, report: ReindexReport): Promise<void> {
  // `<prefix>:fa:acct:`, the part of every account key before its provider.
  const base = keys.account('tim', '').replace(/tim:$/, '');
  let cursor = '0';
  do {
    const [next, found] = await node.scan(cursor, 'MATCH', `${escapeGlob(base)}*`, 'COUNT', SCAN_COUNT);
    cursor = next;
    const pipeline = node.pipeline();
    for (const key of found) pipeline.hmget(key, 'paused', 'parked', 'restUntil', 'lockedUntil');
    const replies = found.length ? ((await pipeline.exec()) ?? []) : [];
    const writes = redis.pipeline();
    replies.forEach(([err, fields], i) => {
      if (err) return; // a `:held` set beside the hash
      const [provider, ...rest] = found[i]!.slice(base.length).split(':');
      if (provider !== 'tim' && provider !== 'gewe') return;
      const account = rest.join(':');
      const [paused = '', parked = '', restUntil = '', lockedUntil = ''] = (fields as (string | null)[]).map((f) => f ?? '');
      report.accounts += 1;
      if (paused === '1') writes.zadd(keys.accountIndex(provider, 'paused'), 'NX', now, account);
      if (parked === '1') writes.zadd(keys.accountIndex(provider, 'parked'), 'NX', now, account);
      if (Number(restUntil) > now) writes.zadd(keys.accountIndex(provider, 'resting'), 'NX', restUntil, account);
      if (Number(lockedUntil) > now) writes.zadd(keys.accountIndex(provider, 'locked'), 'NX', lockedUntil, account);
    });
    const written = writes.length ? ((await writes.exec()) ?? []) : [];
    for (const [err, n] of written) if (!err) report.added += Number(n);
  } while (cursor !== '0');
}

/** A prefix may hold glob characters (`[`, `?`...); SCAN MATCH must take them literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
