import { MetricsTime, type Job, type Worker, type WorkerOptions } from 'bullmq';
import { DelayingWorker } from '../queue/delaying-worker.js';
import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import { createRedis, warnUnlessNoEviction } from '../lib/redis.js';
import { connectForState } from '../lib/state-connection.js';
import { handoffQueueName, INPUT_QUEUE } from '../queue/names.js';
import { dispatchByName, routeByService } from '../worker/dispatch.js';
import { createUnservedProcessor } from '../worker/unserved-job.js';
import { consumeLapsedHandoffs } from './lapsed-handoffs.js';
import { WaitLog } from '../worker/wait-log.js';
import { ServedServices, serviceNeeded, servicesOf } from '../fleet/served-services.js';
import { createTimProcessor } from '../worker/tim/tim-processor.js';
import { createGeweProcessor } from '../worker/gewe/gewe-processor.js';
import { noopObserver, type CallObserver } from '../worker/call-observer.js';
import { buildWorkerParts, type WorkerParts } from './worker-parts.js';
import { startWorkerMetrics, type WorkerMetrics } from '../metrics/worker-metrics.js';
import { fanOutObserver } from '../metrics/observer-fan-out.js';
import { registerLimiterMetrics } from '../metrics/limiter-gauges.js';
import { countStalledJobs, countWebhookDeliveries } from '../metrics/worker-events.js';
import { startResultsWebhook, type ResultsWebhook } from '../webhook/results-webhook.js';
import { assertCredentials } from '../config/provider-credentials.js';

const PROVIDER_NAMES: ReadonlySet<string> = new Set(['tim', 'gewe']);

export interface RunningWorker {
  worker: Worker;
  parts: WorkerParts;
  /** The process's metrics registry, and its own /metrics server when WORKER_METRICS_PORT is set. */
  metrics: WorkerMetrics;
  /** The results webhook's queue and delivery worker, when RESULTS_WEBHOOK_URL is set. */
  webhook?: ResultsWebhook;
  /** Drains: calls in flight finish and their results are written. Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * One worker process's wiring: connections, parts, processors and the BullMQ Workers (the
 * intake's, and the hand-off queues' of the services it serves).
 */
export async function startWorker(config: Config, logger: Logger, observer: CallObserver = noopObserver, metricsRegistry?: Registry): Promise<RunningWorker> {
  // A worker without the credentials of a provider it serves could only hold that provider's jobs back.
  assertCredentials(config);
  const redis = await connectForState(config.redisUrl, logger, { pipelineEachTurn: true });
  const queueRedis = await connectForState(config.redisUrl, logger);
  await warnUnlessNoEviction(redis, logger);
  // Its own connection: a subscribed connection can do nothing else.
  const releasesRedis = createRedis(config.redisUrl);
  releasesRedis.on('error', (err) => logger.error({ err }, 'redis error'));
  const parts = buildWorkerParts(config, { state: redis, queues: queueRedis, releases: releasesRedis }, logger);
  const queues = [parts.input, parts.results];
  const metrics = await startWorkerMetrics({ redis, keys: parts.keys, queues, config, port: config.workerMetricsPort, registry: metricsRegistry, logger });
  registerLimiterMetrics(metrics.registry, parts.gate);
  const observers = fanOutObserver(metrics.observer, observer);
  parts.publisher.onPublished((batch) => observers.published(batch), 'in-process');
  const webhook = startResultsWebhook({ config, redis: queueRedis, publisher: parts.publisher, logger });
  // RESULTS_QUEUE=off: a webhook-only deployment; friend-add-results would grow with nobody draining it.
  parts.publisher.writeQueue(config.resultsQueue);
  if (!config.resultsQueue && !config.webhook) logger.warn('RESULTS_QUEUE=off without RESULTS_WEBHOOK_URL: results are kept in request status only');
  let closing = false;
  // The queue connection: a job's log is BullMQ's key.
  const waits = new WaitLog(queueRedis, logger);
  const common = { ...parts, config, logger, observer: observers, waits, isClosing: () => closing };
  // Each queue's worker, for a GeWe pass to move its job to delayed in its own first step.
  const workers = new Map<string, DelayingWorker>();
  const delaySteps = (job: Job, token: string) => workers.get(job.queueName)?.delayStep(job, token);
  const byName = dispatchByName({
    tim: createTimProcessor({ ...common, provider: parts.timProvider, userSig: parts.userSig, credential: parts.timCredential }),
    gewe: createGeweProcessor({ ...common, provider: parts.geweProvider, credential: parts.geweCredential, delaySteps }),
  });
  const services = new Set(servicesOf(config));
  const served = new ServedServices(redis, parts.keys, parts.clock);
  const needed = (job: Job) => serviceNeeded(job.name, job.data);
  const unserved = createUnservedProcessor({ ...common, served, handoffs: parts.handoffs }, needed);
  const processor = routeByService(byName, unserved, (job) => !PROVIDER_NAMES.has(job.name) || services.has(needed(job)));
  const announcer = served.keepAnnouncing([...services], (err) => logger.warn({ err }, 'could not announce the services this worker offers'));
  await parts.timProvider?.warmUp();
  const workerRedis = createRedis(config.redisUrl);
  workerRedis.on('error', (err) => logger.error({ err }, 'redis error'));
  const watched = (w: Worker): Worker => {
    w.on('error', (err) => logger.error({ err, queue: w.name }, 'worker error'));
    w.on('failed', (job, err) => logger.warn({ jobId: job?.id, name: job?.name, queue: w.name, reason: err.message }, 'job failed'));
    countStalledJobs(metrics.registry, w);
    return w;
  };
  const consume = (queue: string, concurrency = config.workerConcurrency) => {
    const worker = new DelayingWorker(queue, processor, { ...workerOptions(config, workerRedis), concurrency });
    workers.set(queue, worker);
    return watched(worker);
  };
  const worker = consume(INPUT_QUEUE);
  // The hand-off queues of the services this worker serves (jobs other workers could not serve),
  // and one at a time of those nobody serves any more, to end their jobs.
  const handoffWorkers = [...services].map((service) => consume(handoffQueueName(service)));
  const lapsed = consumeLapsedHandoffs({
    served,
    own: services,
    consume: (service) => consume(handoffQueueName(service), 1),
    onError: (err) => logger.warn({ err }, 'could not look for lapsed services'),
  });
  if (webhook) countWebhookDeliveries(metrics.registry, webhook.worker);
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      closing = true;
      // Jobs waiting in their slots for a busy account go back to delayed now, not at their deadline.
      parts.releases?.close();
      announcer.stop();
      await Promise.all([worker, ...handoffWorkers].map((w) => w.close()).concat(lapsed.stop()));
      await waits.flush();
      await webhook?.close();
      await metrics.close();
      await Promise.all([parts.input.close(), parts.results.close(), parts.handoffs.close()]);
      redis.disconnect();
      queueRedis.disconnect();
      workerRedis.disconnect();
    })();
    return closed;
  };
  return { worker, parts, metrics, webhook, close };
}

/**
 * The options of the intake's and the hand-off queues' BullMQ workers. Locks are short
 * (JOB_LOCK_MS) so a killed worker's job resumes soon, and maxStalledCount is high so a job
 * killed many times is not failed for it: its state in Redis makes a resume safe.
 */
function workerOptions(config: Config, connection: ReturnType<typeof createRedis>): WorkerOptions {
  return {
    connection,
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
    lockDuration: config.jobLockMs,
    stalledInterval: Math.max(1000, Math.floor(config.jobLockMs / 2)),
    maxStalledCount: 1000,
    removeOnComplete: { age: Math.ceil(config.requestTtlMs / 1000) },
    removeOnFail: { age: Math.ceil(config.requestTtlMs / 1000) },
    // BullMQ's own counts of completed and failed jobs, for bullmq_job_completed_total. Its export
    // reads every per-minute point on each scrape: an hour of them keeps a scrape cheap.
    metrics: { maxDataPoints: MetricsTime.ONE_HOUR },
  };
}
