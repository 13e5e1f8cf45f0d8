import Fastify, { LogController, type FastifyInstance, type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import type { RedisClient } from '../lib/redis-client.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import { secrets } from '../lib/secrets.js';
import { createFriendAddClient, type FriendAddClient } from '../client/friend-add-client.js';
import { bearerAuth } from './bearer-auth.js';
import { installErrorReplies } from './error-replies.js';
import { registerOpenApi } from './openapi.js';
import { submitRoutes } from './routes/submit-routes.js';
import { requestRoutes } from './routes/request-routes.js';
import { accountRoutes } from './routes/account-routes.js';
import { accountStateRoutes } from './routes/account-state-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { providerRoutes } from './routes/provider-routes.js';
import { registerOperations } from './plugins/operations.js';
import { callbackRoutes } from './routes/callback-routes.js';
import { geweRequestRoutes } from './routes/gewe-request-routes.js';
import { startEventLoop } from '../events/event-loop.js';

/** Room for 100k TIM targets with every field at TIM's byte limits (~50 MB of JSON). */
export const SUBMIT_BODY_LIMIT_BYTES = 64 * 1024 * 1024;

/** Probes and scrapes come every few seconds, pages pull dozens of static files: their request lines would drown the rest. */
const quietProbes = new LogController({
  disableRequestLogging: (request) => /^\/(healthz|readyz|metrics)\b|^\/(admin\/queues|docs)\/static\//.test(request.url),
});

export interface ApiServerOptions {
  config: Config;
  /** The API's Redis connection: used by the library and by /readyz; the caller closes it. */
  connection: RedisClient;
  logger: Logger;
  /** The library to serve; default: one built on `connection` and `config`, closed with the server. */
  client?: FriendAddClient;
  /** Most bytes a submit's body may have. Default SUBMIT_BODY_LIMIT_BYTES. */
  submitBodyLimitBytes?: number;
  /** How long /readyz waits for Redis, in ms. Default 1000. */
  readyTimeoutMs?: number;
  /** The version shown in the OpenAPI document. Default the package's. */
  version?: string;
  /** The process's metrics registry (`npm start`: the worker's, so /metrics shows calls too). Default: a new one. */
  metricsRegistry?: Registry;
  /** Publish the callbacks' outbox from this process (src/events). Default true. */
  eventPump?: boolean;
  /** Called for every route as it is registered (fastify's `onRoute`), before any other: tests list the routes. */
  onRoute?: (route: RouteOptions) => void;
}

/**
 * The HTTP producer API (contract "HTTP API"), built but not listening: tests use `inject` or
 * listen on port 0; `npm run api` listens on API_PORT. The `/v1` routes want the bearer token
 * when API_TOKEN is set; health and the OpenAPI document do not. Routes declare zod schemas
 * (fastify-type-provider-zod): fastify validates with them, and the OpenAPI document at
 * `/docs/openapi.json` (Swagger UI at `/docs`) is generated from them.
 */
export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const { config, connection, logger } = options;
  secrets.add(config.api.token);
  const ownClient = options.client === undefined;
  const client = options.client ?? createFriendAddClient({ connection, config, logger });
  // Typed as the plain instance so plugins written for it fit; pino's Logger is a FastifyBaseLogger.
  const app = Fastify({ loggerInstance: logger, logController: quietProbes }) as unknown as FastifyInstance;
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorReplies(app);
  if (ownClient) app.addHook('onClose', () => client.close());

  // Before every route: @fastify/swagger collects the routes as they are added.
  await registerOpenApi(app, { version: options.version ?? '1.0.0' });
  await app.register(healthRoutes, { connection, readyTimeoutMs: options.readyTimeoutMs ?? 1000, config });

  // Provider callbacks: outside the API token, each checked its provider's way (docs/callbacks.md).
  const events = options.eventPump === false ? undefined : startEventLoop({ config, redis: connection, logger, input: client.input });
  if (events) app.addHook('onClose', () => events.close());
  await app.register(callbackRoutes, { config, redis: connection, onStored: () => events?.pump.kick() });

  await app.register(async (v1) => {
    if (config.api.token) v1.addHook('onRequest', bearerAuth(config.api.token));
    await v1.register(geweRequestRoutes, { config, redis: connection });
    await v1.register(submitRoutes, { client, bodyLimitBytes: options.submitBodyLimitBytes ?? SUBMIT_BODY_LIMIT_BYTES });
    await v1.register(requestRoutes, { client });
    await v1.register(accountRoutes, { client });
    await v1.register(accountStateRoutes, { config, redis: connection });
    await v1.register(providerRoutes, { config, redis: connection });
  });

  // ── Operations plugins (dashboard and metrics engineer) ────────────────────────────────────
  // Register the Bull dashboard (`/admin/queues`, src/api/plugins/dashboard.ts) and `/metrics`
  // here. They sit outside the `/v1` scope above, so the API token does not apply to them; the
  // dashboard has its own basic auth (DASHBOARD_USER / DASHBOARD_PASSWORD).
  await registerOperations(app, { config, connection, metricsRegistry: options.metricsRegistry });
  // ─────────────────────────────────────────────────────────────────────────────────────────────

  return app;
}
