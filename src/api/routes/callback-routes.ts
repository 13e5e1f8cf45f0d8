import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { RedisClient } from '../../lib/redis-client.js';
import { withDeadline } from '../../metrics/with-deadline.js';
import { secrets } from '../../lib/secrets.js';
import { CallbackKeys } from '../../callbacks/callback-keys.js';
import { checkTimSign } from '../../callbacks/tim-sign.js';
import { handleTimCallback, TIM_OK, timFail } from '../../callbacks/tim-callback.js';
import { handleGeweCallback } from '../../callbacks/gewe-callback.js';
import { AutoAcceptPolicies } from '../../callbacks/auto-accept-policy.js';
import { answer, apiSchemas, errorReplySchema } from '../api-schemas.js';
import { documentAs } from '../openapi.js';

/** Most bytes a callback body may have: a 10,000-pair TIM PairList is ~1 MB. */
export const CALLBACK_BODY_LIMIT_BYTES = 2 * 1024 * 1024;
/** A callback is answered within this even if Redis is away (TIM waits a few seconds at most), ms. */
export const CALLBACK_DEADLINE_MS = 1500;

export const TIM_CALLBACK_PATH = '/v1/callbacks/tim';
export const GEWE_CALLBACK_PATH = '/v1/callbacks/gewe/:secret';

/** TIM's envelope, the answer to every TIM callback. */
const timEnvelope = z.object({
  ActionStatus: z.enum(['OK', 'FAIL']),
  ErrorCode: z.number().int().register(apiSchemas, { description: '0 stored; 1 not' }),
  ErrorInfo: z.string(),
});

/**
 * TIM's query and body, documented only: the query is read by the auth hook before anything else
 * and the body is raw bytes parsed here, so that whatever arrives gets TIM's envelope.
 */
const timInput = {
  querystring: z.object({
    SdkAppid: z.string().register(apiSchemas, { description: 'must be TIM_SDKAPPID' }),
    CallbackCommand: z.string().optional().register(apiSchemas, { description: 'Sns.CallbackFriendAdd confirms; others are acknowledged and ignored' }),
    RequestTime: z.string().optional().register(apiSchemas, { description: 'unix seconds; with TIM_CALLBACK_TOKEN' }),
    Sign: z.string().optional().register(apiSchemas, { description: 'hex SHA-256 of the token and RequestTime; with TIM_CALLBACK_TOKEN' }),
  }),
  body: z.looseObject({ CallbackCommand: z.string() }).register(apiSchemas, { description: "TIM's callback body (at most 2 MB)" }),
};

/** GeWe's push, documented only (raw bytes parsed here). */
const geweBody = z
  .looseObject({ TypeName: z.string(), Appid: z.string() })
  .register(apiSchemas, { description: 'a GeWe callback message (at most 2 MB): ModContacts, AddMsg, ...' });

export interface CallbackRouteOptions {
  config: Config;
  redis: RedisClient;
  /** Called once a callback stored something to publish (kicks this process's outbox pump). */
  onStored?: () => void;
}

/**
 * The providers' callbacks. Outside the API token (providers cannot send it): TIM's are checked by
 * SdkAppid and Sign, GeWe's by the secret in the path. The body is read raw, capped, and parsed
 * here, so that a bad one gets TIM's envelope (ErrorCode 1) or a 400, never fastify's default.
 * A callback is acknowledged only after the scripts stored it (docs/callbacks.md).
 */
export async function callbackRoutes(app: FastifyInstance, options: CallbackRouteOptions): Promise<void> {
  const { config, redis } = options;
  const keys = new CallbackKeys(config.queuePrefix);
  const deps = { redis, keys, ttlMs: config.requestTtlMs };
  const policies = new AutoAcceptPolicies(redis, keys, config.gewe.autoAccept);
  const stored = () => options.onStored?.();
  // The GeWe secret sits in the request line that fastify logs: scrubbed like any secret.
  secrets.add(config.gewe.callbackSecret);
  secrets.add(config.tim.callbackToken);

  const api = app.withTypeProvider<ZodTypeProvider>();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: CALLBACK_BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 503;
    if (status === 503) request.log.error({ err }, 'callback not stored');
    const problem = status === 503 ? 'could not store the callback; not acknowledged' : err.message;
    // TIM reads its envelope whatever went wrong with the body; only storage trouble is not a 200.
    if (request.url.startsWith(TIM_CALLBACK_PATH)) return reply.code(status === 503 ? 503 : 200).send(timFail(problem));
    return reply.code(status).send({ error: problem });
  });

  const timSchema = {
    summary: 'TIM third-party callbacks (Sns.CallbackFriendAdd confirms requested targets); no API token',
    security: [],
    response: {
      200: answer('ErrorCode 0 once stored; 1 for a body that does not read (nothing stored)', timEnvelope),
      401: answer('a foreign SdkAppid, or a missing, wrong or stale Sign', timEnvelope),
      503: answer('Redis did not store it in time: not acknowledged', timEnvelope),
    },
  };
  api.post(TIM_CALLBACK_PATH, { onRequest: timAuth(config), schema: timSchema, config: documentAs(timInput) }, async (request, reply) => {
    const outcome = await withDeadline(handleTimCallback(deps, bodyOf(request)), CALLBACK_DEADLINE_MS);
    if (outcome === undefined) return reply.code(503).send(timFail('storage did not answer in time; not acknowledged'));
    if (!outcome.ok) return reply.code(200).send(timFail(outcome.problem));
    if (outcome.events > 0) stored();
    request.log.debug({ facts: outcome.facts, events: outcome.events, ignored: outcome.ignored }, 'tim callback');
    return TIM_OK;
  });

  const geweSchema = {
    summary: 'GeWe callback messages (ModContacts confirms adds; AddMsg 37 is an incoming friend request); no API token',
    security: [],
    params: z.object({ secret: z.string().register(apiSchemas, { description: 'GEWE_CALLBACK_SECRET' }) }),
    response: {
      200: answer(
        'stored (or a repeat, or kept for diagnosis)',
        z.object({ ok: z.boolean(), kind: z.string().register(apiSchemas, { description: 'incoming, confirm, duplicate or kept' }), events: z.number().int() }),
      ),
      400: answer('a body that does not read; nothing stored', errorReplySchema),
      404: answer('a wrong or missing secret', errorReplySchema),
      413: answer('a body over 2 MB', errorReplySchema),
      503: answer('Redis did not store it in time: not acknowledged', errorReplySchema),
    },
  };
  api.post(GEWE_CALLBACK_PATH, { onRequest: geweAuth(config), schema: geweSchema, config: documentAs({ body: geweBody }) }, async (request, reply) => {
    const outcome = await withDeadline(handleGeweCallback({ ...deps, policies }, bodyOf(request)), CALLBACK_DEADLINE_MS);
    if (outcome === undefined) return reply.code(503).send({ error: 'storage did not answer in time; not acknowledged' });
    if (!outcome.ok) return reply.code(400).send({ error: outcome.problem, field: '(body)' });
    if (outcome.events > 0 || outcome.kind === 'incoming') stored();
    request.log.debug({ kind: outcome.kind, events: outcome.events }, 'gewe callback');
    return { ok: true, kind: outcome.kind, events: outcome.events };
  });
}

function bodyOf(request: FastifyRequest): Buffer | string {
  return Buffer.isBuffer(request.body) ? request.body : '';
}

/** SdkAppid must be ours; with TIM_CALLBACK_TOKEN set, Sign must match. Checked before the body is read. */
function timAuth(config: Config) {
  const ours = config.tim.sdkAppId === undefined ? undefined : String(config.tim.sdkAppId);
  const token = config.tim.callbackToken;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, unknown>;
    if (ours === undefined || query.SdkAppid !== ours) return reply.code(401).send(timFail('SdkAppid is not this app'));
    if (!token) return;
    const check = checkTimSign(token, query.RequestTime, query.Sign);
    if (!check.ok) return reply.code(401).send(timFail(check.reason));
  };
}

/** A wrong or missing secret is a route that does not exist: 404, as for any unknown path. */
function geweAuth(config: Config) {
  const secret = config.gewe.callbackSecret;
  const expected = secret === undefined ? undefined : digest(secret);
  return async (request: FastifyRequest<{ Params: { secret: string } }>, reply: FastifyReply) => {
    if (expected === undefined || !timingSafeEqual(digest(request.params.secret), expected)) {
      return reply.code(404).send({ error: 'no route POST /v1/callbacks/gewe/…' });
    }
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
