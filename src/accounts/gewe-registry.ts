import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { scriptBeside } from '../lib/lua-script.js';

const tierScript = scriptBeside(import.meta.url, 'gewe-tier.lua');

export type GeweTier = 'new' | 'seasoned';

/**
 * When each GeWe account came online. GeWe advises adding contacts only after three days
 * online, so an account younger than GEWE_NEW_ACCOUNT_HOURS, or unknown, is paced as new.
 */
export class GeweRegistry {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly newAccountMs: number,
  ) {}

  async setOnlineSince(appId: string, onlineSince: Date): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.geweAccounts(), appId, String(onlineSince.getTime()))
      .srem(this.keys.geweUnregistered(), appId)
      .zrem(this.keys.accountIndex('gewe', 'unregistered'), appId)
      .exec();
  }

  async onlineSince(appId: string): Promise<Date | undefined> {
    const ms = await this.redis.hget(this.keys.geweAccounts(), appId);
    return ms ? new Date(Number(ms)) : undefined;
  }

  /** The tier, and a note of accounts that get jobs without being registered. */
  async tierOf(appId: string, nowMs: number): Promise<GeweTier> {
    // The index (by first seen) lists unregistered accounts a page at a time; the set stays for older readers.
    const keys = [this.keys.geweAccounts(), this.keys.geweUnregistered(), this.keys.accountIndex('gewe', 'unregistered')];
    const since = (await tierScript.run(this.redis, keys, [appId, nowMs])) as string | null;
    if (since === null) return 'new';
    return Number(since) <= this.seasonedIfOnlineBy(nowMs) ? 'seasoned' : 'new';
  }

  /** The latest onlineSince of an account that is seasoned at `nowMs`. */
  seasonedIfOnlineBy(nowMs: number): number {
    return nowMs - this.newAccountMs;
  }

  /** Accounts stuck on the new pace because nobody registered them. */
  async listUnregistered(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.geweUnregistered())).sort();
  }
}
