import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { RedisClient } from '../../lib/redis-client.js';
import { Keys } from '../../lib/keys.js';
import { ACCOUNT_INDEX_STATES, listAccounts } from '../../accounts/account-index.js';
import { readAccountView } from '../../accounts/account-view.js';
import { answer, apiSchemas, errorAnswers } from '../api-schemas.js';
import { documentAs } from '../openapi.js';
import { accountParamsSchema } from './account-routes.js';

export const DEFAULT_ACCOUNT_PAGE = 100;
export const MAX_ACCOUNT_PAGE = 1000;

const provider = z.enum(['tim', 'gewe'], { error: 'provider must be tim or gewe' });
const int = z.coerce.number().int();

const listQuery = z.object({
  provider: provider.optional(),
  state: z.enum(ACCOUNT_INDEX_STATES, { error: `state must be one of ${ACCOUNT_INDEX_STATES.join(', ')}` }).optional(),
  offset: int.min(0).default(0),
  limit: int.min(1).max(MAX_ACCOUNT_PAGE).default(DEFAULT_ACCOUNT_PAGE),
});

const isoOrNull = z.string().nullable();

/**
 * The answers, documented but not used to serialize (see documentAs): the account's view grows
 * with the limiter's state, and a field added there must not be dropped from the answer.
 */
const accountView = z.looseObject({
  provider,
  account: z.string(),
  states: z.array(z.string()).register(apiSchemas, { description: 'resting, locked, paused, parked, disabled; empty: free to work' }),
  lease: z.looseObject({ held: z.boolean(), jobId: z.string().nullable(), until: isoOrNull, waiters: z.number().int() }),
  paused: z.boolean(),
  pausedSince: isoOrNull,
  parked: z.boolean(),
  parkedReason: z.string().nullable(),
  parkedSince: isoOrNull,
  restUntil: isoOrNull,
  strikes: z.number().int(),
  strikeCode: z.union([z.number(), z.string()]).nullable(),
  lockedUntil: isoOrNull,
  lockedStrikes: z.number().int().nullable(),
  disabledUntil: isoOrNull.register(apiSchemas, { description: 'TIM 30545: the account may not add until then' }),
  heldJobs: z.number().int(),
  gewe: z
    .looseObject({ onlineSince: isoOrNull, tier: z.string(), day: z.string(), lanes: z.record(z.string(), z.looseObject({})), reservations: z.number().int() })
    .optional()
    .register(apiSchemas, { description: "GeWe: tier, today's caps used, each lane's next slot" }),
});

const accountPage = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  nextOffset: z.number().int().nullable().register(apiSchemas, { description: 'the next page, or null at the end' }),
  accounts: z.array(
    z.looseObject({ provider, account: z.string(), state: z.enum(ACCOUNT_INDEX_STATES), until: z.string().optional(), since: z.string().optional() }),
  ),
});

/**
 * Account state for operators (contract v2): one account's whole state, and accounts by state a
 * page at a time from the per-state indexes (a page costs a few ZCOUNTs and the page itself).
 */
export async function accountStateRoutes(app: FastifyInstance, options: { config: Config; redis: RedisClient }): Promise<void> {
  const { config, redis } = options;
  const keys = new Keys(config.queuePrefix);
  const api = app.withTypeProvider<ZodTypeProvider>();
  const errors = { 400: errorAnswers.badInput, 401: errorAnswers.unauthorized };

  api.get(
    '/v1/accounts/:provider/:account',
    {
      schema: {
        summary:
          "the account's state: lease, rest or lockout and until when, strikes, paused/parked and why, disabled; GeWe: tier, today's caps used, each lane's next slot",
        params: accountParamsSchema,
      },
      config: documentAs({ response: { 200: answer('the account (an account nobody touched reads as free)', accountView), ...errors } }),
    },
    async (request) => readAccountView(redis, keys, config, request.params.provider, request.params.account),
  );

  api.get(
    '/v1/accounts',
    {
      schema: {
        summary: 'accounts by state (resting, locked, paused, parked, unregistered), a page at a time; an account in two states is listed in each',
        querystring: listQuery,
      },
      // `?provider=&state=paused`: an empty parameter means "any", as if it were left out.
      preValidation: async (request) => {
        request.query = withoutEmpty(request.query) as typeof request.query;
      },
      config: documentAs({ response: { 200: answer('a page of accounts: resting and locked with `until`, the others with `since`', accountPage), ...errors } }),
    },
    async (request) => listAccounts(redis, keys, request.query),
  );
}

function withoutEmpty(query: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ''));
}
