import type { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Registry } from 'prom-client';
import type { Keys } from '../lib/keys.js';
import type { Logger } from '../lib/logger.js';
import type { Config } from '../config/config.js';
import type { CallObserver } from '../worker/call-observer.js';
import { createMetricsObserver } from './metrics-observer.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { createMetricsRegistry } from './registry.js';
import { registerStateMetrics } from './state-metrics.js';

export interface WorkerMetricsOptions {
  redis: RedisClient;
  keys: Keys;
  queues: readonly Queue[];
  config: Config;
  /** WORKER_METRICS_PORT: serve `/metrics` there when set (0 picks a free port). */
  port?: number;
  /** The process's registry when one exists already (`npm start`: the API's); else a new one. */
  registry?: Registry;
  logger: Logger;
}

export interface WorkerMetrics {
  registry: Registry;
  observer: CallObserver;
  /** Set when WORKER_METRICS_PORT is. */
  server?: MetricsServer;
  close(): Promise<void>;
}

/**
 * A worker's metrics: its own counters (calls, results, waits, stalls, webhook deliveries), fed
 * as they happen, and its own /metrics. The gauges read from Redis only with
 * WORKER_STATE_METRICS=true: the API serves them, and N workers serving them too would give
 * N+1 copies of each series.
 */
export async function startWorkerMetrics(options: WorkerMetricsOptions): Promise<WorkerMetrics> {
  const registry = options.registry ?? createMetricsRegistry();
  if (options.config.workerStateMetrics) {
    registerStateMetrics(registry, { redis: options.redis, keys: options.keys, queues: options.queues, config: options.config });
  }
  const observer = createMetricsObserver(registry);
  const server = options.port === undefined ? undefined : await startMetricsServer(options.port, registry);
  if (server) options.logger.info({ port: server.port, stateMetrics: options.config.workerStateMetrics }, 'worker metrics on /metrics');
  return { registry, observer, server, close: async () => server?.close() };
}
