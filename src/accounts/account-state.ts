import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import type { ProviderName } from '../domain/types.js';
import { scriptBeside } from '../lib/lua-script.js';
import { DEFAULTS } from '../config/defaults.js';
import type { AccountIndexState } from './account-index.js';

const strikeScript = scriptBeside(import.meta.url, 'strike.lua');

/** An account's operating state, shared by every worker. Times are ms since the epoch. */
export interface AccountState {
  paused: boolean;
  /** GeWe: offline, logged out or unknown to GeWe; waits for an operator's resume, like a pause. */
  parked: boolean;
  parkedReason?: string;
  /** Resting after a strike until then. */
  restUntil: number;
  /** Strikes in a row; reset by an answered call that was no strike. */
  strikes: number;
  /** The code of the last strike, for the result of targets failed by strikes. */
  strikeCode?: number | string;
  /** TIM 30545: the account may not add at all until then. */
  disabledUntil: number;
  /** Locked out after STRIKE_MAX_REPEATS strikes in a row until then: its targets end failed. */
  lockedUntil: number;
  /** The strikes in a row that locked it out. */
  lockedStrikes: number;
}

/** An account's state from its hash (`HGETALL`; empty when the account has no marks). */
export function accountStateOf(h: Record<string, string>): AccountState {
  return {
    paused: h.paused === '1',
    parked: h.parked === '1',
    parkedReason: h.parkedReason,
    restUntil: Number(h.restUntil ?? 0),
    strikes: Number(h.strikes ?? 0),
    strikeCode: h.strikeCode === undefined ? undefined : /^-?\d+$/.test(h.strikeCode) ? Number(h.strikeCode) : h.strikeCode,
    disabledUntil: Number(h.disabledUntil ?? 0),
    lockedUntil: Number(h.lockedUntil ?? 0),
    lockedStrikes: Number(h.lockedStrikes ?? 0),
  };
}

/** When strikes lock an account out (STRIKE_MAX_REPEATS, STRIKE_LOCKOUT_MS). */
export interface StrikePolicy {
  maxRepeats: number;
  lockoutMs: number;
}

const DEFAULT_STRIKE_POLICY: StrikePolicy = { maxRepeats: DEFAULTS.strikeMaxRepeats, lockoutMs: DEFAULTS.strikeLockoutMs };

/**
 * Pause, park, rest, lockout and disable marks of accounts. Resume clears pause, park, strikes and
 * lockout, so that an operator can put an account back to work after looking at it. Each change
 * moves the account in the per-state indexes in the same atomic step (MULTI or strike.lua), so
 * that listing and counting accounts by state never scans the keyspace.
 */
export class AccountStates {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    /** Workers pass STRIKE_MAX_REPEATS and STRIKE_LOCKOUT_MS; the contract's defaults otherwise. */
    private readonly strikePolicy: StrikePolicy = DEFAULT_STRIKE_POLICY,
  ) {}

  async read(provider: ProviderName, account: string): Promise<AccountState> {
    return accountStateOf(await this.redis.hgetall(this.keys.account(provider, account)));
  }

  /** Rests the account, or locks it out at the policy's strikes in a row (lockedUntil 0: not locked). */
  async strike(provider: ProviderName, account: string, baseRestMs: number, code: number | string, now = Date.now()) {
    const { maxRepeats, lockoutMs } = this.strikePolicy;
    const keys = [this.keys.account(provider, account), this.index(provider, 'resting'), this.index(provider, 'locked')];
    const args = [baseRestMs, now, String(code), maxRepeats, lockoutMs, account];
    const [strikes, restUntil, lockedUntil] = (await strikeScript.run(this.redis, keys, args)) as [number, string, string];
    return { strikes, restUntil: Number(restUntil), lockedUntil: Number(lockedUntil) };
  }

  /** An answered call that was no strike ends the run of strikes. */
  async clearStrikes(provider: ProviderName, account: string): Promise<void> {
    const key = this.keys.account(provider, account);
    await this.redis.multi().hdel(key, 'strikes', 'restUntil').zrem(this.index(provider, 'resting'), account).exec();
  }

  /** A second pause keeps the first one's time in the index: "paused since" is when it began. */
  async pause(provider: ProviderName, account: string, now = Date.now()): Promise<void> {
    const key = this.keys.account(provider, account);
    await this.redis.multi().hset(key, 'paused', '1').zadd(this.index(provider, 'paused'), 'NX', now, account).exec();
  }

  async park(provider: ProviderName, account: string, reason: string, now = Date.now()): Promise<void> {
    const key = this.keys.account(provider, account);
    await this.redis.multi().hset(key, 'parked', '1', 'parkedReason', reason).zadd(this.index(provider, 'parked'), 'NX', now, account).exec();
  }

  /**
   * Clears pause, park and strikes. Returns the ids of the jobs that were held waiting for it,
   * so that the caller can wake them now rather than at their next look.
   */
  async resume(provider: ProviderName, account: string): Promise<string[]> {
    const key = this.keys.account(provider, account);
    const [, [, held]] = (await this.redis
      .multi()
      .hdel(key, 'paused', 'parked', 'parkedReason', 'strikes', 'restUntil', 'lockedUntil', 'lockedStrikes')
      .smembers(`${key}:held`)
      .del(`${key}:held`)
      .zrem(this.index(provider, 'paused'), account)
      .zrem(this.index(provider, 'parked'), account)
      .zrem(this.index(provider, 'resting'), account)
      .zrem(this.index(provider, 'locked'), account)
      .exec()) as [unknown, [unknown, string[]], ...unknown[]];
    return held;
  }

  /** Notes a job that waits for this account's pause or park to end. */
  async hold(provider: ProviderName, account: string, jobId: string): Promise<void> {
    const key = `${this.keys.account(provider, account)}:held`;
    await this.redis
      .multi()
      .sadd(key, jobId)
      .pexpire(key, 7 * 24 * 3600 * 1000)
      .exec();
  }

  async disable(provider: ProviderName, account: string, untilMs: number): Promise<void> {
    await this.redis.hset(this.keys.account(provider, account), 'disabledUntil', String(untilMs));
  }

  /** The index of accounts in a state (account-index.ts), changed in the same step as the state. */
  private index(provider: ProviderName, state: AccountIndexState): string {
    return this.keys.accountIndex(provider, state);
  }
}
