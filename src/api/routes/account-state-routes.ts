import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { RedisClient } from '../../lib/redis-client.js';
import { Keys } from '../../lib/keys.js';
import { inputError } from '../../client/errors.js';
import { ACCOUNT_INDEX_STATES, listAccounts } from '../../accounts/account-index.js';
import { readAccountView } from '../../accounts/account-view.js';

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

/** Parses with zod; the first issue answers 400 naming its field. */
function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw inputError(issue.path, issue.message);
}

/**
 * Account state for operators (contract v2): one account's whole state, and accounts by state a
 * page at a time from the per-state indexes (a page costs a few ZCOUNTs and the page itself).
 */
export async function accountStateRoutes(app: FastifyInstance, options: { config: Config; redis: RedisClient }): Promise<void> {
  const { config, redis } = options;
  const keys = new Keys(config.queuePrefix);

  app.get<{ Params: { provider: string; account: string } }>('/v1/accounts/:provider/:account', async (request) => {
    const { provider: which } = parse(z.object({ provider }), request.params);
    return readAccountView(redis, keys, config, which, request.params.account);
  });

  app.get('/v1/accounts', async (request) => listAccounts(redis, keys, parse(listQuery, withoutEmpty(request.query))));
}

/** `?provider=&state=paused`: an empty parameter means "any", as if it were left out. */
function withoutEmpty(query: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ''));
}
