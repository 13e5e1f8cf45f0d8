import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Config } from '../../config/config.js';
import { Keys } from '../../lib/keys.js';
import type { RedisClient } from '../../lib/redis-client.js';
import { INPUT_QUEUE, RESULTS_QUEUE } from '../../queue/names.js';
import { createMetricsRegistry } from '../../metrics/registry.js';
import { registerMetricsRoute } from '../../metrics/metrics-route.js';
import { registerStateMetrics } from '../../metrics/state-metrics.js';
import { WEBHOOK_QUEUE } from '../../webhook/webhook-queue.js';
import { registerDashboard } from './dashboard.js';

export interface OperationsOptions {
  config: Config;
  /** The API's connection; the caller closes it. */
  connection: RedisClient;
  /**
   * The process's registry. `npm start` passes its worker's, so that one /metrics shows the calls
   * too; default: a new one for this API process.
   */
  metricsRegistry?: Registry;
}

/**
 * What operators look at, on the API server: the Bull dashboard (`/admin/queues`) over
 * `friend-add` and `friend-add-results` (and the webhook's queue when RESULTS_WEBHOOK_URL is set),
 * and `GET /metrics` with the depths of those queues and the accounts' states.
 */
export async function registerOperations(app: FastifyInstance, options: OperationsOptions): Promise<void> {
  const { config, connection } = options;
  const names = [INPUT_QUEUE, RESULTS_QUEUE, ...(config.webhook ? [WEBHOOK_QUEUE] : [])];
  const queues = names.map((name) => new Queue(name, { connection, prefix: config.queuePrefix }));
  for (const queue of queues) queue.on('error', (err) => app.log.error({ err, queue: queue.name }, 'queue error'));
  app.addHook('onClose', async () => {
    await Promise.all(queues.map((queue) => queue.close()));
  });
  await registerDashboard(app, { queues, config });
  const registry = options.metricsRegistry ?? createMetricsRegistry();
  // The API is where the gauges read from Redis come from (a worker serves them only with WORKER_STATE_METRICS).
  registerStateMetrics(registry, { redis: connection, keys: new Keys(config.queuePrefix), queues, config });
  registerMetricsRoute(app, registry);
}
