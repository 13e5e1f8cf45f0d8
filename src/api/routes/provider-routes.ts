import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.js';
import type { RedisClient } from '../../lib/redis-client.js';
import { Keys } from '../../lib/keys.js';
import { readProviderStatus } from '../../fleet/provider-status.js';

export interface ProviderRouteOptions {
  config: Config;
  redis: RedisClient;
}

/**
 * `GET /v1/providers`: each provider, whether this deployment serves it, whether a credential is
 * suspended after a configuration error (why, since when, the next probe), and the TIM rate now.
 */
export async function providerRoutes(app: FastifyInstance, options: ProviderRouteOptions): Promise<void> {
  const keys = new Keys(options.config.queuePrefix);
  app.get('/v1/providers', async () => ({ providers: await readProviderStatus(options.config, options.redis, keys) }));
}
