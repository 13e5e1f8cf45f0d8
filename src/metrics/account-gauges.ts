import { Gauge, type Registry } from 'prom-client';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { ACCOUNT_INDEX_STATES, countAccounts, indexedPairs } from '../accounts/account-index.js';
import { metricOnce } from './registry.js';
import { withDeadline } from './with-deadline.js';

const SCRAPE_DEADLINE_MS = 2000;

/**
 * `friend_add_accounts{provider, state}`: accounts resting after a strike, locked out, paused,
 * parked, and GeWe accounts not registered. Counted from the per-state indexes the account states
 * keep (src/accounts/account-index.ts): a ZCOUNT or ZCARD each, never a scan of the keyspace.
 */
export function registerAccountGauges(registry: Registry, redis: RedisClient, keys: Keys): void {
  metricOnce(
    registry,
    'friend_add_accounts',
    () =>
      new Gauge({
        name: 'friend_add_accounts',
        help: `Accounts by provider and state (${ACCOUNT_INDEX_STATES.join(', ')}), from the state indexes in Redis at scrape time.`,
        labelNames: ['provider', 'state'],
        registers: [registry],
        async collect() {
          this.reset();
          const counts = await withDeadline(countAccounts(redis, keys), SCRAPE_DEADLINE_MS).catch(() => undefined);
          // Redis down or slow: no counts rather than stale ones; the rest of /metrics still answers.
          if (!counts) return;
          for (const [provider, state] of indexedPairs()) this.set({ provider, state }, counts.get(`${provider}:${state}`) ?? 0);
        },
      }),
  );
}
