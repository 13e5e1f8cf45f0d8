import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import type { Config } from '../config/config.js';
import type { ProviderName } from '../domain/types.js';
import { AccountStates } from './account-state.js';
import { AccountLocks, type LeaseView } from './account-lock.js';
import { readGeweView, type GeweView } from './gewe-view.js';

/** What an operator needs to see why an account's work waits: GET /v1/accounts/{provider}/{account}. */
export interface AccountView {
  provider: ProviderName;
  account: string;
  /** The states it is in now, by name (empty: free to work): resting, locked, paused, parked, disabled. */
  states: string[];
  lease: LeaseView;
  paused: boolean;
  pausedSince: string | null;
  /** GeWe: offline, logged out, or another answer about the account; waits for a resume. */
  parked: boolean;
  parkedReason: string | null;
  parkedSince: string | null;
  /** Resting after a strike until then (null: not resting). */
  restUntil: string | null;
  /** Strikes in a row (0 after an answered call that was none), and the last strike's code. */
  strikes: number;
  strikeCode: number | string | null;
  /** Locked out after STRIKE_MAX_REPEATS strikes in a row until then: its targets end failed. */
  lockedUntil: string | null;
  lockedStrikes: number | null;
  /** TIM 30545: the account may not add at all until then. */
  disabledUntil: string | null;
  /** Jobs held for a pause or park to end (a resume wakes them). */
  heldJobs: number;
  gewe?: GeweView;
}

/** Reads an account's whole state; an account nobody touched reads as free (no error). */
export async function readAccountView(
  redis: RedisClient,
  keys: Keys,
  config: Config,
  provider: ProviderName,
  account: string,
  now = Date.now(),
): Promise<AccountView> {
  const states = new AccountStates(redis, keys);
  const [state, lease, sinces, gewe] = await Promise.all([
    states.read(provider, account),
    new AccountLocks(redis, keys, config.jobLockMs).view(provider, account, now),
    readSinces(redis, keys, provider, account),
    provider === 'gewe' ? readGeweView(redis, keys, config.gewe, account, now) : undefined,
  ]);
  const future = (ms: number) => (ms > now ? new Date(ms).toISOString() : null);
  const view: AccountView = {
    provider,
    account,
    states: [],
    lease,
    paused: state.paused,
    pausedSince: sinces.paused,
    parked: state.parked,
    parkedReason: state.parked ? (state.parkedReason ?? null) : null,
    parkedSince: sinces.parked,
    restUntil: future(state.restUntil),
    strikes: state.strikes,
    strikeCode: state.strikeCode ?? null,
    lockedUntil: future(state.lockedUntil),
    lockedStrikes: future(state.lockedUntil) ? state.lockedStrikes : null,
    disabledUntil: future(state.disabledUntil),
    heldJobs: sinces.held,
    ...(gewe && { gewe }),
  };
  view.states = [
    view.restUntil && 'resting',
    view.lockedUntil && 'locked',
    view.paused && 'paused',
    view.parked && 'parked',
    view.disabledUntil && 'disabled',
  ].filter((s): s is string => typeof s === 'string');
  return view;
}

/** Since when it is paused or parked (from the indexes), and how many jobs wait for it. */
async function readSinces(redis: RedisClient, keys: Keys, provider: ProviderName, account: string) {
  const [[, paused], [, parked], [, held]] = (await redis
    .multi()
    .zscore(keys.accountIndex(provider, 'paused'), account)
    .zscore(keys.accountIndex(provider, 'parked'), account)
    .scard(`${keys.account(provider, account)}:held`)
    .exec()) as [[unknown, string | null], [unknown, string | null], [unknown, number]];
  const iso = (ms: string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  return { paused: iso(paused), parked: iso(parked), held };
}
