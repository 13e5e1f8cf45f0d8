import type { Config } from '../config/config.js';
import { createRedis } from '../lib/redis.js';
import type { RedisClient } from '../lib/redis-client.js';
import { createFriendAddClient, type FriendAddClient } from '../client/friend-add-client.js';
import { CliError, EXIT } from './exit-codes.js';
import type { CliIo } from './cli-io.js';

/** How long the CLI waits for Redis before it gives up: a CLI should fail, not hang. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * What one CLI command works with: the configuration (read only when a command needs it, so that
 * `--help` works without any), one Redis connection, and the library over it.
 */
export class CliSession {
  private redis: RedisClient | undefined;
  private opened: Promise<FriendAddClient> | undefined;

  constructor(
    private readonly loadConfig: () => Config,
    readonly io: CliIo,
  ) {}

  /** The library, connected; a Redis that does not answer is a clear error, not a hang. */
  client(): Promise<FriendAddClient> {
    this.opened ??= this.open();
    return this.opened;
  }

  async close(): Promise<void> {
    const client = await this.opened?.catch(() => undefined);
    await client?.close().catch(() => undefined);
    this.redis?.disconnect();
  }

  private async open(): Promise<FriendAddClient> {
    const config = this.loadConfig();
    const redis = createRedis(config.redisUrl);
    this.redis = redis;
    // After the first PING, ioredis reconnects by itself and a command that cannot finish fails
    // the run; without a listener it would print every reconnect error.
    redis.on('error', () => undefined);
    await pingOrFail(redis, CONNECT_TIMEOUT_MS).catch((err: Error) => {
      throw new CliError(`cannot reach Redis at ${redactUrl(config.redisUrl)}: ${err.message}`, EXIT.runtime);
    });
    return createFriendAddClient({ connection: redis, config });
  }
}

/**
 * A PING that fails on the first connection error, or after `timeoutMs`: ioredis would retry
 * forever, and a person at a terminal needs the reason now.
 */
async function pingOrFail(redis: RedisClient, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onError: ((err: Error) => void) | undefined;
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    onError = reject;
    redis.once('error', onError);
  });
  try {
    await Promise.race([redis.ping(), failure]);
  } finally {
    clearTimeout(timer);
    redis.off('error', onError!);
  }
}

/** The URL without its password: error messages end up in logs and terminals. */
export function redactUrl(url: string): string {
  return url.replace(/(rediss?:\/\/[^:@/,]*:)[^@/,]+@/g, '$1***@');
}
