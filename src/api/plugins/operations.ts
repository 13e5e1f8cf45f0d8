import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Config } from '../../config/config.js';
import { Keys } from '../../lib/keys.js';
import type { RedisClient } from '../../lib/redis-client.js';
import { handoffQueueName, INPUT_QUEUE, RESULTS_QUEUE } from '../../queue/names.js';
import { createMetricsRegistry } from '../../metrics/registry.js';
import { registerMetricsRoute } from '../../metrics/metrics-route.js';
import { registerStateMetrics } from '../../metrics/state-metrics.js';
import { WEBHOOK_QUEUE } from '../../webhook/webhook-queue.js';
import { registerDashboard } from './dashboard.js';
import { ANNOUNCE_EVERY_MS, ServedServices } from '../../fleet/served-services.js';
import { repeatEvery } from '../../lib/repeat.js';
import { systemClock } from '../../lib/clock.js';

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
 * `friend-add` and `friend-add-results` (and the webhook's queue when RESULTS_WEBHOOK_URL is set,
 * and the hand-off queues of the services workers announced),
 * and `GET /metrics` with the depths of those queues and the accounts' states.
 */
export async function registerOperations(app: FastifyInstance, options: OperationsOptions): Promise<void> {
  const { config, connection } = options;
  const keys = new Keys(config.queuePrefix);
  const open = (name: string) => {
    const queue = new Queue(name, { connection, prefix: config.queuePrefix });
    queue.on('error', (err) => app.log.error({ err, queue: queue.name }, 'queue error'));
    return queue;
  };
  // The metrics read this list on each scrape: hand-off queues found later join it.
  const queues = [INPUT_QUEUE, RESULTS_QUEUE, ...(config.webhook ? [WEBHOOK_QUEUE] : [])].map(open);
  const dashboard = await registerDashboard(app, { queues, config });
  const discovery = watchHandoffQueues(new ServedServices(connection, keys, systemClock), (name) => {
    const queue = open(name);
    queues.push(queue);
    dashboard.addQueue(queue);
  });
  app.addHook('onClose', async () => {
    discovery.stop();
    await Promise.all(queues.map((queue) => queue.close()));
  });
  const registry = options.metricsRegistry ?? createMetricsRegistry();
  // The API is where the gauges read from Redis come from (a worker serves them only with WORKER_STATE_METRICS).
  registerStateMetrics(registry, { redis: connection, keys, queues, config });
  registerMetricsRoute(app, registry);
}

/**
 * Finds the hand-off queues (src/queue/handoff-queues.ts) of the services workers announce, now
 * and as often as workers announce, without holding the server's start up: Redis may be away.
 */
function watchHandoffQueues(served: ServedServices, found: (name: string) => void): { stop(): void } {
  const known = new Set<string>();
  let stopped = false;
  const look = async () => {
    for (const service of (await served.announced()).keys()) {
      const name = handoffQueueName(service);
      if (!known.has(name) && !stopped) {
        known.add(name);
        found(name);
      }
    }
  };
  const looking = repeatEvery(ANNOUNCE_EVERY_MS, look, () => undefined);
  return {
    stop: () => {
      stopped = true;
      looking.stop();
    },
  };
}
