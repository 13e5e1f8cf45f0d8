import { Counter, type Registry } from 'prom-client';
import type { Job, Worker } from 'bullmq';
import { metricOnce } from './registry.js';

/**
 * `friend_add_jobs_stalled_total`: input jobs this worker found stalled (their holder stopped
 * renewing the lock: killed, frozen, or its event loop blocked past JOB_LOCK_MS) and moved back
 * to wait. Each stall is found by one worker, so the sum over workers counts each once.
 */
export function countStalledJobs(registry: Registry, worker: Worker): void {
  const stalled = metricOnce(
    registry,
    'friend_add_jobs_stalled_total',
    () =>
      new Counter({
        name: 'friend_add_jobs_stalled_total',
        help: 'Input jobs found stalled (a worker died or froze holding them) and moved back to wait; they resume from their state in Redis.',
        registers: [registry],
      }),
  );
  worker.on('stalled', () => stalled.inc());
}

/**
 * `friend_add_webhook_deliveries_total{kind, result}`: POSTs of result batches and events to
 * RESULTS_WEBHOOK_URL by this worker: `delivered` (2xx), `failed` (retried with backoff) or
 * `gave_up` (its last try failed: the batch is still on friend-add-results and in request status).
 */
export function countWebhookDeliveries(registry: Registry, worker: Worker): void {
  const deliveries = metricOnce(
    registry,
    'friend_add_webhook_deliveries_total',
    () =>
      new Counter({
        name: 'friend_add_webhook_deliveries_total',
        help: 'Webhook deliveries by kind (results, event) and result: delivered, failed (will retry), gave_up (last try failed).',
        labelNames: ['kind', 'result'],
        registers: [registry],
      }),
  );
  const kindOf = (job: Job | undefined) => ((job?.data as { kind?: string } | undefined)?.kind === 'event' ? 'event' : 'results');
  worker.on('completed', (job) => deliveries.inc({ kind: kindOf(job), result: 'delivered' }));
  worker.on('failed', (job) => {
    const last = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    deliveries.inc({ kind: kindOf(job), result: last ? 'gave_up' : 'failed' });
  });
}
