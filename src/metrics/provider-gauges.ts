import { Gauge, type Registry } from 'prom-client';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { CredentialSuspensions } from '../fleet/credential-suspensions.js';
import { metricOnce } from './registry.js';
import { withDeadline } from './with-deadline.js';

const SCRAPE_DEADLINE_MS = 1000;

/**
 * `friend_add_provider_suspended{provider}`: 1 while a credential of the provider is suspended
 * after a configuration error (its jobs wait; see docs/reliability.md), read from one small hash.
 */
export function registerProviderGauges(registry: Registry, redis: RedisClient, keys: Keys): void {
  const suspensions = new CredentialSuspensions(redis, keys);
  metricOnce(
    registry,
    'friend_add_provider_suspended',
    () =>
      new Gauge({
        name: 'friend_add_provider_suspended',
        help: '1 while a credential of the provider is suspended after a configuration error (wrong key, identifier, SDKAppID or token): its jobs wait.',
        labelNames: ['provider'],
        registers: [registry],
        async collect() {
          this.reset();
          const list = await withDeadline(suspensions.list(), SCRAPE_DEADLINE_MS).catch(() => undefined);
          if (!list) return;
          for (const provider of ['tim', 'gewe']) this.set({ provider }, list.some((s) => s.provider === provider) ? 1 : 0);
        },
      }),
  );
}
