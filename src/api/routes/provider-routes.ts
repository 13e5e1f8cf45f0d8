import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { RedisClient } from '../../lib/redis-client.js';
import { Keys } from '../../lib/keys.js';
import { readProviderStatus } from '../../fleet/provider-status.js';
import { answer, apiSchemas, errorAnswers } from '../api-schemas.js';

export interface ProviderRouteOptions {
  config: Config;
  redis: RedisClient;
}

/** The answer's shape: the serializer checks these fields and sends no other (add a new one here). */
const providerStatusSchema = z.object({
  provider: z.enum(['tim', 'gewe']),
  enabled: z.boolean().register(apiSchemas, { description: "in this process's PROVIDERS" }),
  workersSeenAt: z.string().nullable().register(apiSchemas, { description: 'when a worker last said it serves the provider; null: never, or not for a day' }),
  credential: z.string().nullable().register(apiSchemas, { description: "this process's credential, by fingerprint" }),
  suspended: z.boolean().register(apiSchemas, { description: "whether this process's credential is suspended after a configuration error" }),
  suspensions: z.array(
    z.object({
      fingerprint: z.string(),
      code: z.union([z.number(), z.string()]),
      info: z.string(),
      since: z.string(),
      nextProbeAt: z.string(),
      ours: z.boolean(),
    }),
  ),
  rate: z
    .object({ limitPerSec: z.number(), currentPerSec: z.number() })
    .optional()
    .register(apiSchemas, { description: 'TIM: the configured limit and the rate the gate grants now' }),
});

/**
 * `GET /v1/providers`: each provider, whether this deployment serves it, whether a credential is
 * suspended after a configuration error (why, since when, the next probe), and the TIM rate now.
 */
export async function providerRoutes(app: FastifyInstance, options: ProviderRouteOptions): Promise<void> {
  const keys = new Keys(options.config.queuePrefix);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/providers',
    {
      schema: {
        summary: 'each provider: enabled, workers seen, credential suspended (why, next probe), TIM rate now',
        response: { 200: answer('the providers', z.object({ providers: z.array(providerStatusSchema) })), 401: errorAnswers.unauthorized },
      },
    },
    async () => ({ providers: await readProviderStatus(options.config, options.redis, keys) }),
  );
}
