import { Gauge, type Registry } from 'prom-client';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { ACCOUNT_STATES, takeAccountCensus, type AccountCensus, type AccountCensusOptions } from './account-census.js';
import { metricOnce } from './registry.js';
import { withDeadline } from './with-deadline.js';

const SCRAPE_DEADLINE_MS = 2000;
const PROVIDER_STATES = [
  ...(['resting', 'paused', 'parked'] as const).flatMap((state) => [['tim', state] as const, ['gewe', state] as const]),
  ['gewe', 'unregistered'] as const,
];

/**
 * `friend_add_accounts{provider, state}`: accounts resting after a strike, paused, parked, and
 * GeWe accounts not registered; counted from Redis on each scrape, with a bounded SCAN.
 */
export function registerAccountGauges(registry: Registry, redis: RedisClient, keys: Keys, options: AccountCensusOptions = {}): void {
  // Both gauges collect in parallel on a scrape: they share one census, not two scans.
  let inFlight: Promise<AccountCensus | undefined> | undefined;
  const census = () =>
    (inFlight ??= withDeadline(takeAccountCensus(redis, keys, Date.now(), options), SCRAPE_DEADLINE_MS)
      .catch(() => undefined)
      .finally(() => setImmediate(() => (inFlight = undefined))));

  metricOnce(registry, 'friend_add_accounts', () =>
    new Gauge({
      name: 'friend_add_accounts',
      help: `Accounts by provider and state (${ACCOUNT_STATES.join(', ')}), counted from Redis at scrape time.`,
      labelNames: ['provider', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        const taken = await census();
        // Redis down or slow: no counts rather than stale ones; the rest of /metrics still answers.
        for (const [provider, state] of taken ? PROVIDER_STATES : []) {
          this.set({ provider, state }, taken!.counts.get(`${provider}:${state}`) ?? 0);
        }
      },
    }),
  );
  metricOnce(registry, 'friend_add_accounts_scan_truncated', () =>
    new Gauge({
      name: 'friend_add_accounts_scan_truncated',
      help: '1 when the account census stopped at its bound, so friend_add_accounts is a lower bound.',
      registers: [registry],
      async collect() {
        this.reset();
        const taken = await census();
        if (taken) this.set(taken.truncated ? 1 : 0);
      },
    }),
  );
}
