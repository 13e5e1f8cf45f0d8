import { DEFAULTS } from '../config/defaults.js';
import { createRedis } from '../lib/redis.js';
import type { RedisClient } from '../lib/redis-client.js';
import type { FriendAddClientOptions } from './client-options.js';
import { FriendAddClient } from './friend-add-client.js';

type WithoutConnection<T> = T extends unknown ? Omit<T, 'connection'> : never;

/** A FriendAddClient's settings, with a Redis URL in place of a connection. */
export type OpenClientOptions = WithoutConnection<FriendAddClientOptions> & {
  /**
   * `redis://` or `rediss://` (with password if any), or a comma-separated node list for a Redis
   * Cluster, as REDIS_URL. Default: `config.redisUrl` when `config` is given, else
   * `redis://127.0.0.1:6379`.
   */
  redisUrl?: string;
};

/** A client that opened its own connection, and so closes it too. */
class OwnedConnectionClient extends FriendAddClient {
  constructor(
    options: FriendAddClientOptions,
    private readonly owned: RedisClient,
  ) {
    super(options);
  }

  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      await this.owned.quit().catch(() => this.owned.disconnect());
    }
  }
}

/**
 * Opens a FriendAddClient on a connection of its own, made from a URL with the options BullMQ and
 * our scripts need (`maxRetriesPerRequest: null`, RESP2 — ioredis 6 speaks RESP3 by default — and
 * Redis Cluster for a node list). `client.close()` closes that connection as well.
 */
export function openFriendAddClient(options: OpenClientOptions): FriendAddClient {
  const { redisUrl, ...settings } = options;
  const url = redisUrl ?? ('config' in settings ? settings.config.redisUrl : DEFAULTS.redisUrl);
  const redis = createRedis(url);
  // Without a listener ioredis prints every reconnect attempt; it reconnects by itself either way.
  redis.on('error', (err: unknown) => settings.logger?.error({ err }, 'redis error'));
  return new OwnedConnectionClient({ ...settings, connection: redis } as FriendAddClientOptions, redis);
}
