import type { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import type { ProviderName } from '../domain/types.js';

export const ACCOUNT_STATES = ['resting', 'paused', 'parked', 'unregistered'] as const;
export type AccountCensusState = (typeof ACCOUNT_STATES)[number];

export interface AccountCensusOptions {
  /** Keys asked for per SCAN step. Default: 500. */
  scanCount?: number;
  /** Account hashes read per census at most, so a scrape stays cheap however many accounts exist. Default: 20000. */
  maxAccounts?: number;
}

export interface AccountCensus {
  counts: Map<`${ProviderName}:${AccountCensusState}`, number>;
  /** True when maxAccounts stopped the scan early: the counts are a lower bound. */
  truncated: boolean;
}

/**
 * Counts accounts resting after a strike, paused or parked, by scanning the `acct:*` hashes
 * (see src/accounts/account-state.ts), and GeWe accounts that got jobs without being registered.
 */
export async function takeAccountCensus(
  redis: RedisClient,
  keys: Keys,
  nowMs: number,
  options: AccountCensusOptions = {},
): Promise<AccountCensus> {
  const counts: AccountCensus['counts'] = new Map();
  // A cluster's keys are spread over its masters (all on one with a `{fa}` prefix): scan each.
  const nodes = redis.isCluster ? (redis as Cluster).nodes('master') : [redis as Redis];
  let budget = options.maxAccounts ?? 20_000;
  let truncated = false;
  for (const node of nodes) {
    const scanned = await scanAccounts(node, keys, nowMs, budget, options.scanCount ?? 500, counts);
    budget -= scanned.seen;
    truncated ||= scanned.truncated;
  }
  counts.set('gewe:unregistered', await redis.scard(keys.geweUnregistered()));
  return { counts, truncated };
}

async function scanAccounts(node: Redis, keys: Keys, nowMs: number, budget: number, scanCount: number, counts: AccountCensus['counts']) {
  const bump = (provider: string, state: AccountCensusState) => {
    if (provider !== 'tim' && provider !== 'gewe') return;
    counts.set(`${provider}:${state}`, (counts.get(`${provider}:${state}`) ?? 0) + 1);
  };
  // `<prefix>:fa:acct:`, the part of every account key before its provider.
  const base = keys.account('tim', '').replace(/tim:$/, '');
  let cursor = '0';
  let seen = 0;
  do {
    const [next, found] = await node.scan(cursor, 'MATCH', `${escapeGlob(base)}*`, 'COUNT', scanCount);
    cursor = next;
    const batch = found.slice(0, budget - seen);
    seen += batch.length;
    const pipeline = node.pipeline();
    for (const key of batch) pipeline.hmget(key, 'paused', 'parked', 'restUntil');
    const replies = batch.length ? ((await pipeline.exec()) ?? []) : [];
    replies.forEach(([err, fields], i) => {
      if (err) return;
      const [paused, parked, restUntil] = fields as (string | null)[];
      const provider = batch[i]!.slice(base.length).split(':', 1)[0]!;
      if (paused === '1') bump(provider, 'paused');
      if (parked === '1') bump(provider, 'parked');
      if (Number(restUntil ?? 0) > nowMs) bump(provider, 'resting');
    });
  } while (cursor !== '0' && seen < budget);
  return { seen, truncated: cursor !== '0' };
}

/** A prefix may hold glob characters (`[`, `?`...); SCAN MATCH must take them literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
