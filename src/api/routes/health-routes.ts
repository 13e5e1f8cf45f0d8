import type { FastifyInstance } from 'fastify';
import type { RedisClient } from '../../lib/redis-client.js';

export interface HealthRouteOptions {
  connection: RedisClient;
  /** How long readiness waits for Redis's PONG, in ms. */
  readyTimeoutMs: number;
}

/**
 * Liveness (`/healthz`: the process answers, always 200) and readiness (`/readyz`: Redis
 * answers PING in time, else 503). Neither needs the API token: orchestrators probe them.
 */
export async function healthRoutes(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const problem = await pingProblem(options.connection, options.readyTimeoutMs);
    if (problem) return reply.code(503).send({ status: 'unavailable', redis: problem });
    return { status: 'ready', redis: 'ok' };
  });
}

async function pingProblem(redis: RedisClient, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    const answered = redis.ping().then(
      (pong) => (pong === 'PONG' ? undefined : `unexpected answer ${pong}`),
      (err: Error) => err.message,
    );
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}
