import type { FastifyInstance } from 'fastify';
import { configWith } from '../../src/config/load.js';
import { createLogger, type Logger } from '../../src/lib/logger.js';
import { buildApiServer } from '../../src/api/server.js';
import type { Harness } from '../helpers/harness.js';

/** The API over a harness's Redis prefix, not listening: tests call it with `inject`. */
export async function buildTestApi(
  h: Harness,
  env: Record<string, string | number> = {},
  logger: Logger = createLogger({ level: 'silent' }),
): Promise<FastifyInstance> {
  const config = configWith({ ...h.env, ...env });
  const app = await buildApiServer({ config, connection: h.redis, logger });
  await app.ready();
  return app;
}

export const timBody = (requestId: string, toAccounts: string[], extra: Record<string, unknown> = {}) => ({
  requestId,
  fromAccount: 'alice',
  targets: toAccounts.map((toAccount) => ({ toAccount, addSource: 'AddSource_Type_Web' })),
  ...extra,
});

export const geweItem = (v3: string, extra: Record<string, unknown> = {}) => ({
  appId: 'wx_api',
  scene: 3,
  option: 2,
  v3,
  v4: `v4_${v3}`,
  content: 'hi',
  ...extra,
});
