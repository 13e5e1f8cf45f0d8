import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import { addTextSource } from './text-extras.js';
import { withDeadline } from './with-deadline.js';

const SCRAPE_DEADLINE_MS = 2000;

/**
 * BullMQ's own metrics (`Queue.exportPrometheusMetrics`): `bullmq_job_count{queue, state}` for
 * every state BullMQ knows (completed and paused too), and `bullmq_job_completed_total` /
 * `bullmq_job_failed_total` from BullMQ's metrics, which workers record when started with
 * `metrics` (ours are). Each queue's text repeats the HELP and TYPE lines; a family may have them
 * only once, so the queues' samples are merged under one header per family.
 */
export function registerBullmqExport(registry: Registry, queues: readonly Queue[]): void {
  addTextSource(registry, 'bullmq', async () => {
    const texts = await withDeadline(Promise.all(queues.map((q) => q.exportPrometheusMetrics())), SCRAPE_DEADLINE_MS);
    return texts ? mergeFamilies(texts) : '';
  });
}

/** Prometheus texts with the same families, as one: each family's HELP and TYPE once, then its samples. */
export function mergeFamilies(texts: readonly string[]): string {
  const families = new Map<string, { header: string[]; samples: string[] }>();
  for (const line of texts.flatMap((t) => t.split('\n'))) {
    const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
    const name = meta ? meta[2]! : /^([a-zA-Z_:][\w:]*)/.exec(line)?.[1];
    if (!name) continue;
    const family = families.get(name) ?? { header: [], samples: [] };
    families.set(name, family);
    if (!meta) family.samples.push(line);
    else if (!family.header.some((h) => h.startsWith(`# ${meta[1]} `))) family.header.push(line);
  }
  return [...families.values()].flatMap((f) => [...f.header, ...f.samples]).join('\n');
}
