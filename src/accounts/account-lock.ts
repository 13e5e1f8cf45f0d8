import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import type { ProviderName } from '../domain/types.js';
import { scriptBeside } from '../lib/lua-script.js';

const acquireScript = scriptBeside(import.meta.url, 'lock-acquire.lua');
const releaseScript = scriptBeside(import.meta.url, 'lock-release.lua');
const renewScript = scriptBeside(import.meta.url, 'lock-renew.lua');

/** A held lease; renewed in the background until released. */
export interface Lease {
  release(): Promise<string | undefined>;
}

/**
 * One call in flight per account (TIM From_Account, GeWe appId), across every worker. A lease
 * lives `leaseMs` and is renewed every third of that while held, so a killed worker frees its
 * account within `leaseMs`, while a slow call keeps it. A job that finds the account busy joins
 * its waiters; the holder names the first waiter on release, and the caller wakes it.
 */
export class AccountLocks {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly leaseMs: number,
  ) {}

  async acquire(provider: ProviderName, account: string, waiterId: string): Promise<Lease | undefined> {
    const lockKey = this.keys.accountLock(provider, account);
    const waitersKey = this.waitersKey(provider, account);
    const token = randomUUID();
    const got = await acquireScript.run(this.redis, [lockKey, waitersKey], [token, this.leaseMs, waiterId, Date.now()]);
    if (got !== 1) return undefined;
    const timer = setInterval(() => {
      renewScript.run(this.redis, [lockKey], [token, this.leaseMs]).catch(() => undefined);
    }, Math.max(100, Math.floor(this.leaseMs / 3)));
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        const next = await releaseScript.run(this.redis, [lockKey, waitersKey], [token]);
        return typeof next === 'string' ? next : undefined;
      },
    };
  }

  /** Forgets a waiter that will never come back (its job ended). */
  async forget(provider: ProviderName, account: string, waiterId: string): Promise<void> {
    await this.redis.zrem(this.waitersKey(provider, account), waiterId);
  }

  private waitersKey(provider: ProviderName, account: string): string {
    return `${this.keys.accountLock(provider, account)}:waiters`;
  }
}
