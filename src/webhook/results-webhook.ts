import { Queue, Worker, type Job } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../lib/redis-client.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import type { ResultPublisher } from '../queue/result-publisher.js';
import { deliverWebhook } from './deliver-webhook.js';
import { enqueueWebhookListener, WEBHOOK_QUEUE, type WebhookJobData } from './webhook-queue.js';

/** Deliveries in flight per worker process: receivers are HTTP servers, not rate-limited APIs. */
const DELIVERY_CONCURRENCY = 10;

export interface ResultsWebhook {
  queue: Queue<WebhookJobData>;
  worker: Worker<WebhookJobData>;
  close(): Promise<void>;
}

/**
 * When RESULTS_WEBHOOK_URL is set: every batch the publisher puts on friend-add-results is also
 * enqueued on `friend-add-webhook`, and a delivery Worker in this process POSTs it, retried with
 * backoff by BullMQ. Undefined when no webhook is configured.
 */
export function startResultsWebhook(deps: { config: Config; redis: RedisClient; publisher: ResultPublisher; logger: Logger }) {
  const { config, publisher } = deps;
  if (!config.webhook) return undefined;
  const logger = deps.logger.child({ component: 'results-webhook' });
  const queue = new Queue<WebhookJobData>(WEBHOOK_QUEUE, { connection: deps.redis, prefix: config.queuePrefix });
  queue.on('error', (err) => logger.error({ err }, 'webhook queue error'));
  publisher.onPublished(enqueueWebhookListener(queue));
  // The Worker blocks on its connection while idle: it gets its own, closed with it.
  const workerRedis: RedisClient = deps.redis.isCluster ? (deps.redis as Cluster).duplicate() : (deps.redis as Redis).duplicate();
  workerRedis.on('error', (err) => logger.error({ err }, 'redis error'));
  const target = { url: config.webhook.url, secret: config.webhook.secret, timeoutMs: config.httpTimeoutMs };
  const worker = new Worker<WebhookJobData>(WEBHOOK_QUEUE, (job: Job<WebhookJobData>) => deliverWebhook(target, job.data), {
    connection: workerRedis,
    prefix: config.queuePrefix,
    concurrency: DELIVERY_CONCURRENCY,
  });
  worker.on('error', (err) => logger.error({ err }, 'webhook worker error'));
  worker.on('failed', (job, err) => {
    const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    const fields = { resultJobId: job?.id, attemptsMade: job?.attemptsMade, reason: err.message };
    if (final) logger.error(fields, 'webhook delivery gave up; the batch stays on friend-add-results');
    else logger.warn(fields, 'webhook delivery failed; retrying with backoff');
  });
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await worker.close();
      await queue.close();
      workerRedis.disconnect();
    })());
  return { queue, worker, close } satisfies ResultsWebhook;
}
