import type { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Registry } from 'prom-client';
import type { Keys } from '../lib/keys.js';
import type { AccountCensusOptions } from './account-census.js';
import { registerAccountGauges } from './account-gauges.js';
import { registerQueueDepthGauges } from './queue-depth.js';
import { registerProviderGauges } from './provider-gauges.js';

export interface StateMetricsDeps {
  redis: RedisClient;
  keys: Keys;
  /** The queues whose depths to report: `friend-add` and `friend-add-results` at least. */
  queues: readonly Queue[];
  census?: AccountCensusOptions;
}

/**
 * The gauges read from Redis at scrape time (queue depths, account states): the same in every
 * process, so the API and each worker can serve them.
 */
export function registerStateMetrics(registry: Registry, deps: StateMetricsDeps): void {
  registerQueueDepthGauges(registry, deps.queues);
  registerAccountGauges(registry, deps.redis, deps.keys, deps.census);
  registerProviderGauges(registry, deps.redis, deps.keys);
}
