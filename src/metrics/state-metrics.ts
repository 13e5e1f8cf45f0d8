import type { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Registry } from 'prom-client';
import type { Keys } from '../lib/keys.js';
import type { Config } from '../config/config.js';
import { registerAccountGauges } from './account-gauges.js';
import { registerQueueDepthGauges } from './queue-depth.js';
import { registerProviderGauges } from './provider-gauges.js';
import { registerTimRateGauges } from './tim-rate-gauges.js';
import { registerGeweCapGauges } from './gewe-cap-gauges.js';
import { registerBullmqExport } from './bullmq-export.js';

export interface StateMetricsDeps {
  redis: RedisClient;
  keys: Keys;
  /** The queues whose depths to report: `friend-add` and `friend-add-results` at least. */
  queues: readonly Queue[];
  config: Config;
}

/**
 * The gauges read from Redis at scrape time: queue depths (ours and BullMQ's own export),
 * accounts by state, suspended credentials, the TIM rate now, GeWe cap use. They are the same
 * whoever reads them, so exactly one process serves them: the API, or a worker started with
 * WORKER_STATE_METRICS=true where no API runs. Served twice, `sum()` would count them twice.
 */
export function registerStateMetrics(registry: Registry, deps: StateMetricsDeps): void {
  const { redis, keys, config } = deps;
  registerQueueDepthGauges(registry, deps.queues);
  registerBullmqExport(registry, deps.queues);
  registerAccountGauges(registry, redis, keys);
  registerProviderGauges(registry, redis, keys);
  if (config.tim.sdkAppId !== undefined) registerTimRateGauges(registry, redis, keys, config.tim.sdkAppId, config.tim.ratePerSec);
  if (config.providers.includes('gewe')) registerGeweCapGauges(registry, redis, keys, config.gewe);
}
