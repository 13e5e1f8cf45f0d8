import type { RedisClient } from '../lib/redis-client.js';
import type { Config } from '../config/config.js';
import { DEFAULTS } from '../config/defaults.js';
import { HOUR } from '../lib/time.js';
import type { Logger } from '../lib/logger.js';
import type { ProviderName } from '../domain/types.js';

interface Common {
  /** Used, never closed, by the client: close it yourself after `client.close()`. */
  connection: RedisClient;
  /** Where the client's queue handle reports Redis errors. Default: nowhere (they are retried). */
  logger?: Logger;
}

/** What a FriendAddClient needs: a Redis connection it does not own, and the deployment's settings. */
export type FriendAddClientOptions =
  | (Common & {
      /** The resolved configuration (loadConfig). */
      config: Config;
    })
  | (Common & {
      /** QUEUE_PREFIX of the deployment. */
      prefix: string;
      /** How long request status is kept, in ms. Default REQUEST_TTL_HOURS' default (72 h). */
      requestTtlMs?: number;
      /** The SDKAppID the workers sign for: a TIM request naming another is refused. Default: any. */
      timSdkAppId?: number;
      /** GEWE_NEW_ACCOUNT_HOURS in ms. Default 72 h. */
      geweNewAccountMs?: number;
      /** PROVIDERS of the deployment: a submit for another is refused. Default: both. */
      providers?: ProviderName[];
    });

export interface ResolvedClientOptions extends Common {
  prefix: string;
  requestTtlMs: number;
  timSdkAppId?: number;
  geweNewAccountMs: number;
  providers: readonly ProviderName[];
}

export function resolveClientOptions(options: FriendAddClientOptions): ResolvedClientOptions {
  if ('config' in options) {
    const { config } = options;
    return {
      connection: options.connection,
      logger: options.logger,
      prefix: config.queuePrefix,
      requestTtlMs: config.requestTtlMs,
      timSdkAppId: config.tim.sdkAppId,
      geweNewAccountMs: config.gewe.newAccountMs,
      providers: config.providers,
    };
  }
  return {
    connection: options.connection,
    logger: options.logger,
    prefix: options.prefix,
    requestTtlMs: options.requestTtlMs ?? DEFAULTS.requestTtlHours * HOUR,
    timSdkAppId: options.timSdkAppId,
    geweNewAccountMs: options.geweNewAccountMs ?? DEFAULTS.geweNewAccountHours * HOUR,
    providers: options.providers ?? ['tim', 'gewe'],
  };
}
