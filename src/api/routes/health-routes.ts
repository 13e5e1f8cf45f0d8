import type { FastifyInstance } from 'fastify';
import type { RedisClient } from '../../lib/redis-client.js';
import type { Config } from '../../config/config.js';
import { Keys } from '../../lib/keys.js';
import { readProviderStatus } from '../../fleet/provider-status.js';

export interface HealthRouteOptions {
  connection: RedisClient;
  config: Config;
  /** How long readiness waits for Redis's PONG, in ms. */
  readyTimeoutMs: number;
}

/**
 * Liveness (`/healthz`: the process answers, always 200) and readiness (`/readyz`: Redis
 * answers PING in time, else 503). Neither needs the API token: orchestrators probe them.
 * Readiness also says which providers have a suspended credential: the API still takes work
 * then (it waits in the queue), so that stays 200, but an operator sees it at once.
 */
export async function healthRoutes(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  const keys = new Keys(options.config.queuePrefix);
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const problem = await pingProblem(options.connection, options.readyTimeoutMs);
    if (problem) return reply.code(503).send({ status: 'unavailable', redis: problem });
    const statuses = await readProviderStatus(options.config, options.connection, keys).catch(() => []);
    const providers = Object.fromEntries(statuses.map((s) => [s.provider, !s.enabled ? 'disabled' : s.suspensions.length ? 'suspended' : 'ok']));
    return { status: 'ready', redis: 'ok', providers };
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
