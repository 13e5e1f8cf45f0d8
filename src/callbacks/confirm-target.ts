import type { ProviderName } from '../domain/types.js';
import type { RedisClient } from '../lib/redis-client.js';
import { scriptBeside } from '../lib/lua-script.js';
import { RECENT_EVENTS_MAX } from '../events/event-types.js';
import type { CallbackKeys } from './callback-keys.js';

const confirmTargetScript = scriptBeside(import.meta.url, 'confirm-target.lua');

/**
 * How long a callback's mark is kept when no result waits on its pair: long enough for a result
 * recorded late (a worker that died mid-call resumes within JOB_LOCK_MS; a GeWe answer lost in
 * flight is recorded `unconfirmed` within HTTP_TIMEOUT_MS), short enough that the friendships
 * of the whole app, which TIM reports too, do not fill Redis for REQUEST_TTL_HOURS.
 */
export const SEEN_ALONE_TTL_MS = 6 * 60 * 60 * 1000;

/** One fact from a callback: `account`'s friend list holds `target` now. */
export interface FriendFact {
  provider: ProviderName;
  account: string;
  target: string;
}

export interface ConfirmDeps {
  redis: RedisClient;
  keys: CallbackKeys;
  ttlMs: number;
}

/**
 * Stores the fact and makes the `confirmed` events it earns (confirm-target.lua), atomically: once
 * this resolves, nothing of it can be lost to a crash of this process. Returns the events made.
 * `markSeen` false re-checks a pair whose result was recorded after its callback (the outbox's
 * `recheck` entries): the time of the callback, kept in `seen`, is what the event says.
 */
export async function confirmTarget(deps: ConfirmDeps, fact: FriendFact, via: string, at = new Date(), markSeen = true): Promise<number> {
  const { keys } = deps;
  const arg = {
    base: keys.base,
    provider: fact.provider,
    account: fact.account,
    target: fact.target,
    atMs: at.getTime(),
    atIso: at.toISOString(),
    via,
    markSeen,
    ttlMs: deps.ttlMs,
    seenAloneTtlMs: Math.min(deps.ttlMs, SEEN_ALONE_TTL_MS),
    recentMax: RECENT_EVENTS_MAX,
  };
  const pending = keys.pending(fact.provider, fact.account, fact.target);
  const made = await confirmTargetScript.run(deps.redis, [pending, keys.outbox(), keys.recentEvents()], [JSON.stringify(arg)]);
  return Number(made);
}
