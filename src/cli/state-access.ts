import type { Config } from '../config/config.js';
import type { RedisClient } from '../lib/redis-client.js';
import { Keys } from '../lib/keys.js';
import type { CliSession } from './cli-session.js';

/** What the read-only state commands (`accounts show|list`, `providers`) read with. */
export interface StateAccess {
  config(): Config;
  keys(): Keys;
  /** The session's own connection, checked by its PING: one connection per run, closed with it. */
  redis(): Promise<RedisClient>;
}

/**
 * The state commands read Redis directly, as the API's routes do, over the session's connection
 * (the library's queue holds it), with the configuration read once, only when a command needs it.
 */
export function stateAccess(session: CliSession, loadConfig: () => Config): StateAccess {
  let config: Config | undefined;
  const access: StateAccess = {
    config: () => (config ??= loadConfig()),
    keys: () => new Keys(access.config().queuePrefix),
    // The library built its queue on the session's connection, which it hands over as it was given.
    redis: async () => (await session.client()).input.opts.connection as RedisClient,
  };
  return access;
}
