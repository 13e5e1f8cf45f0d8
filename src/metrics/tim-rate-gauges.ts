import { Gauge, type Registry } from 'prom-client';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { readTimRate } from '../limiter/tim-rate-reading.js';
import { metricOnce } from './registry.js';
import { withDeadline } from './with-deadline.js';

const SCRAPE_DEADLINE_MS = 1000;

/**
 * `friend_add_tim_rate_per_second{sdk_app_id}`: the rate the TIM gate grants now, all workers
 * together (halved after a 60007, climbing back by a tenth of the limit every 5 s), beside
 * `friend_add_tim_rate_limit_per_second` (TIM_RATE_PER_SEC). One HMGET a scrape.
 */
export function registerTimRateGauges(registry: Registry, redis: RedisClient, keys: Keys, sdkAppId: number, limit: number): void {
  const labels = { sdk_app_id: String(sdkAppId) };
  metricOnce(registry, 'friend_add_tim_rate_limit_per_second', () => {
    const gauge = new Gauge({
      name: 'friend_add_tim_rate_limit_per_second',
      help: 'TIM_RATE_PER_SEC: the calls per second the TIM gate allows for the SDKAppID, all workers together.',
      labelNames: ['sdk_app_id'],
      registers: [registry],
    });
    gauge.set(labels, limit);
    return gauge;
  });
  metricOnce(
    registry,
    'friend_add_tim_rate_per_second',
    () =>
      new Gauge({
        name: 'friend_add_tim_rate_per_second',
        help: 'The rate the TIM gate grants now: the limit, or less for a while after a 60007 (halved, then climbing back).',
        labelNames: ['sdk_app_id'],
        registers: [registry],
        async collect() {
          this.reset();
          const rate = await withDeadline(readTimRate(redis, keys, sdkAppId, limit), SCRAPE_DEADLINE_MS).catch(() => undefined);
          if (rate !== undefined) this.set(labels, rate);
        },
      }),
  );
}
