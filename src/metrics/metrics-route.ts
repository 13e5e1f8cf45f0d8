import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { renderMetrics } from './text-extras.js';

/** `GET /metrics` on the API server: Prometheus text from this process's registry. */
export function registerMetricsRoute(app: FastifyInstance, registry: Registry): void {
  app.get('/metrics', async (_request, reply) => {
    const text = await renderMetrics(registry);
    return reply.header('content-type', registry.contentType).send(text);
  });
}
