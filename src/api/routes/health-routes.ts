import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RedisClient } from '../../lib/redis-client.js';
import type { Config } from '../../config/config.js';
import { Keys } from '../../lib/keys.js';
import { readProviderStatus } from '../../fleet/provider-status.js';
import { answer } from '../api-schemas.js';

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
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/healthz',
    { schema: { summary: 'liveness', security: [], response: { 200: answer('the process answers', z.object({ status: z.literal('ok') })) } } },
    async () => ({ status: 'ok' as const }),
  );

  const readySchema = {
    summary: 'readiness',
    security: [],
    response: {
      200: answer(
        'Redis answers; `providers` says ok, suspended or disabled for each',
        z.object({ status: z.literal('ready'), redis: z.literal('ok'), providers: z.record(z.string(), z.enum(['ok', 'suspended', 'disabled'])) }),
      ),
      503: answer('Redis does not answer (in time): why', z.object({ status: z.literal('unavailable'), redis: z.string() })),
    },
  };
  api.get('/readyz', { schema: readySchema }, async (_request, reply) => {
    const problem = await pingProblem(options.connection, options.readyTimeoutMs);
    if (problem) return reply.code(503).send({ status: 'unavailable', redis: problem });
    const statuses = await readProviderStatus(options.config, options.connection, keys).catch(() => []);
    const providers = Object.fromEntries(statuses.map((s) => [s.provider, !s.enabled ? 'disabled' : s.suspensions.length ? 'suspended' : 'ok']));
    return reply.code(200).send({ status: 'ready', redis: 'ok', providers });
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
