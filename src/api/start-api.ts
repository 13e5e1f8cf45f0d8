import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import { createRedis, warnUnlessNoEviction } from '../lib/redis.js';
import { buildApiServer } from './server.js';
import { assertApiAuth } from '../config/api-auth.js';

export interface RunningApi {
  app: FastifyInstance;
  /** Where it listens, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Stops taking requests, lets those in flight finish, closes Redis. Safe to call twice. */
  close(): Promise<void>;
}

export interface StartApiOptions {
  /** Default config.api.port (API_PORT); 0 picks a free port. */
  port?: number;
  /** Default `0.0.0.0`: reachable from outside a container. */
  host?: string;
  /** A registry to serve on /metrics, e.g. the worker's when both run in one process (`npm start`). */
  metricsRegistry?: Registry;
}

/**
 * The API's composition root: its own Redis connection, the server, and listening. It starts
 * even while Redis is down (`/readyz` answers 503 until Redis answers), but not without its
 * credentials unless API_AUTH=off (ConfigError).
 */
export async function startApi(config: Config, logger: Logger, options: StartApiOptions = {}): Promise<RunningApi> {
  assertApiAuth(config);
  if (config.api.auth === 'off') {
    logger.warn('API_AUTH=off: the producer API and the dashboard accept anyone who can reach them');
  }
  const redis = createRedis(config.redisUrl);
  redis.on('error', (err) => logger.error({ err }, 'redis error'));
  void warnUnlessNoEviction(redis, logger);
  const app = await buildApiServer({ config, connection: redis, logger, metricsRegistry: options.metricsRegistry });
  const host = options.host ?? '0.0.0.0';
  let address: string;
  try {
    address = await app.listen({ port: options.port ?? config.api.port, host });
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      await app.close();
      redis.disconnect();
    })();
    return closed;
  };
  return { app, url: address.replace('0.0.0.0', '127.0.0.1'), close };
}
