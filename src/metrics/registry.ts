import { collectDefaultMetrics, Registry, type Metric } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Node's own metrics (CPU, memory, event-loop lag, GC). Default: true. */
  processMetrics?: boolean;
}

/**
 * One Registry per process, made here and handed down. Never prom-client's global default
 * registry: two workers in one test process would otherwise count into each other's metrics.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * The metric already registered under `name`, or a new one. `npm start` runs the API and a worker
 * in one process over one registry, and both ask for the same gauges.
 */
export function metricOnce<M extends Metric>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
