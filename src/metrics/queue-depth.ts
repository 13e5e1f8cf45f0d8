import { Gauge, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';
import { metricOnce } from './registry.js';
import { withDeadline } from './with-deadline.js';

export const QUEUE_STATES = ['waiting', 'delayed', 'active', 'failed', 'prioritized'] as const;

/** How long one scrape waits for Redis before it answers without the depths. */
const SCRAPE_DEADLINE_MS = 2000;

/**
 * `friend_add_queue_jobs{queue, state}`, read from Redis on each scrape (getJobCounts), so every
 * process reports the same shared depths and nothing runs between scrapes.
 */
export function registerQueueDepthGauges(registry: Registry, queues: readonly Queue[]): void {
  metricOnce(
    registry,
    'friend_add_queue_jobs',
    () =>
      new Gauge({
        name: 'friend_add_queue_jobs',
        help: 'Jobs in a queue by state, read from Redis at scrape time.',
        labelNames: ['queue', 'state'],
        registers: [registry],
        async collect() {
          this.reset();
          const counted = await withDeadline(
            Promise.all(queues.map(async (q) => [q.name, await q.getJobCounts(...QUEUE_STATES)] as const)),
            SCRAPE_DEADLINE_MS,
          ).catch(() => undefined);
          // Redis down or slow: no depths rather than stale ones, and the rest of /metrics still answers.
          for (const [queue, counts] of counted ?? []) {
            for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state] ?? 0);
          }
        },
      }),
  );
}
