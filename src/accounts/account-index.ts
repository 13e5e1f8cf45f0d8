import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import type { ProviderName } from '../domain/types.js';
import { scriptBeside } from '../lib/lua-script.js';

const listScript = scriptBeside(import.meta.url, 'list-accounts.lua');

/** The states an account can be listed and counted by (GET /v1/accounts, friend_add_accounts). */
export const ACCOUNT_INDEX_STATES = ['resting', 'locked', 'paused', 'parked', 'unregistered'] as const;
export type AccountIndexState = (typeof ACCOUNT_INDEX_STATES)[number];

/**
 * `resting` and `locked` are scored by when they end, so an ended one is skipped by score without
 * anyone removing it; the others by since when, and they end only when someone removes them.
 */
const SCORED_BY_END: ReadonlySet<AccountIndexState> = new Set(['resting', 'locked']);

/** Every (provider, state) pair that exists: only GeWe accounts can be unregistered. */
export function indexedPairs(provider?: ProviderName, state?: AccountIndexState): Array<[ProviderName, AccountIndexState]> {
  const pairs: Array<[ProviderName, AccountIndexState]> = [];
  for (const p of provider ? [provider] : (['tim', 'gewe'] as const)) {
    for (const s of state ? [state] : ACCOUNT_INDEX_STATES) {
      if (p === 'tim' && s === 'unregistered') continue;
      pairs.push([p, s]);
    }
  }
  return pairs;
}

export interface ListedAccount {
  provider: ProviderName;
  account: string;
  state: AccountIndexState;
  /** resting, locked: when it ends (ISO). */
  until?: string;
  /** paused, parked, unregistered: since when (ISO). */
  since?: string;
}

export interface AccountPage {
  /** Accounts in the states asked for; an account in two states counts (and lists) in each. */
  total: number;
  offset: number;
  limit: number;
  /** The offset of the next page, or null at the end. */
  nextOffset: number | null;
  accounts: ListedAccount[];
}

export interface AccountListQuery {
  provider?: ProviderName;
  state?: AccountIndexState;
  offset: number;
  limit: number;
}

/**
 * One page of accounts by state, from the per-state indexes in one atomic script: the cost is a
 * ZCOUNT per (provider, state) and the page itself, whatever the number of accounts.
 */
export async function listAccounts(redis: RedisClient, keys: Keys, query: AccountListQuery, now = Date.now()): Promise<AccountPage> {
  const pairs = indexedPairs(query.provider, query.state);
  const args = { offset: query.offset, limit: query.limit, byEnd: pairs.map(([, s]) => SCORED_BY_END.has(s)) };
  const indexKeys = pairs.map(([p, s]) => keys.accountIndex(p, s));
  const [totals, rows] = (await listScript.run(redis, indexKeys, [JSON.stringify(args), now])) as [number[], string[]];
  const accounts: ListedAccount[] = [];
  for (let i = 0; i < rows.length; i += 3) {
    const [provider, state] = pairs[Number(rows[i]) - 1]!;
    const at = new Date(Number(rows[i + 2])).toISOString();
    accounts.push({ provider, account: rows[i + 1]!, state, ...(SCORED_BY_END.has(state) ? { until: at } : { since: at }) });
  }
  const total = totals.reduce((a, b) => a + Number(b), 0);
  const next = query.offset + accounts.length;
  return { total, offset: query.offset, limit: query.limit, nextOffset: next < total && accounts.length > 0 ? next : null, accounts };
}

/** How many accounts are in each (provider, state) now: ZCOUNT or ZCARD each, one round trip. */
export async function countAccounts(redis: RedisClient, keys: Keys, now = Date.now()): Promise<Map<string, number>> {
  const pairs = indexedPairs();
  const pipeline = redis.pipeline();
  for (const [p, s] of pairs) {
    const key = keys.accountIndex(p, s);
    if (SCORED_BY_END.has(s)) pipeline.zcount(key, `(${now}`, '+inf');
    else pipeline.zcard(key);
  }
  const replies = (await pipeline.exec()) ?? [];
  const counts = new Map<string, number>();
  pairs.forEach(([p, s], i) => {
    const [err, n] = replies[i] ?? [];
    if (err) throw err;
    counts.set(`${p}:${s}`, Number(n));
  });
  return counts;
}
