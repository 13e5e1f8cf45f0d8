import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { LuaScript, scriptBeside } from '../lib/lua-script.js';
import { DAY } from '../lib/time.js';
import type { Clock } from '../lib/clock.js';
import { localDay } from './calendar.js';
import { PACE_LANES, type CallKind } from './pace-lanes.js';
import type { GeweTier } from '../accounts/gewe-registry.js';

const reserveScript = scriptBeside(import.meta.url, 'gewe-reserve.lua');
/** gewe-begin.lua, for a script that begins a send as one of its steps (GewePacer.beginStep). */
export const GEWE_BEGIN_LUA = new URL('./scripts/gewe-begin.lua', import.meta.url);
const beginScript = new LuaScript(GEWE_BEGIN_LUA);
/** gewe-finished.lua, for a script that ends a call as one of its steps (GewePacer.finishedStep). */
export const GEWE_FINISHED_LUA = new URL('./scripts/gewe-finished.lua', import.meta.url);
const finishedScript = new LuaScript(GEWE_FINISHED_LUA);

export type { CallKind } from './pace-lanes.js';

/**
 * The lane's interval by the account's tier, and where the tier changes: an account online since
 * `seasonedIfOnlineBy` or earlier is seasoned (GeweRegistry.seasonedIfOnlineBy).
 */
export interface TierIntervals {
  newMs: number;
  seasonedMs: number;
  seasonedIfOnlineBy: number;
}

/** A job's slot, and the account's tier as read in the same step. */
export interface Reservation {
  slot: number;
  tier: GeweTier;
}

export type BeginAnswer = { kind: 'ok'; countToday: number } | { kind: 'early'; waitMs: number } | { kind: 'cap'; countToday: number };

/**
 * Per-account pacing for GeWe, across every worker, in two lanes (pace-lanes.ts): adds, and
 * accepts or rejects, each with its own interval, reservations, last send and daily cap.
 * Reservations give each job its slot in arrival order within its lane; `begin` checks the real
 * spacing between the lane's sends and the day's cap atomically with recording the send. The
 * clock is injectable for the day arithmetic; Redis holds the state.
 */
export class GewePacer {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly timeZone: string,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * The job's slot in its lane (gewe-reserve.lua), and the account's tier read in the same round
   * trip, which also notes an account that nobody registered.
   */
  async reserve(appId: string, stateId: string, kind: CallKind, intervals: TierIntervals, jitter: number, notBeforeMs = 0): Promise<Reservation> {
    const step = this.reserveStep(appId, stateId, kind, intervals, jitter, notBeforeMs);
    return reservationOf(await reserveScript.run(this.redis, step.keys, step.args));
  }

  /** gewe-reserve.lua's keys and arguments, for a script that composes it in (gewe-start.lua); its reply reads with reservationOf. */
  reserveStep(appId: string, stateId: string, kind: CallKind, intervals: TierIntervals, jitter: number, notBeforeMs = 0) {
    const k = this.keys;
    const keys = [k.gewePace(appId), k.account('gewe', appId), k.geweAccounts(), k.geweUnregistered(), k.accountIndex('gewe', 'unregistered')];
    const lane = PACE_LANES[kind];
    const { newMs, seasonedMs, seasonedIfOnlineBy } = intervals;
    const args = [stateId, this.clock.now(), newMs, jitter, this.random(), notBeforeMs, lane.nextFree, lane.lastSent, seasonedMs, seasonedIfOnlineBy, appId];
    return { keys, args };
  }

  /**
   * The last check before a send, atomic with recording it (gewe-begin.lua). With `markJob`, an
   * answer `ok` has also marked the job in flight on its state hash (kept `markJob.ttlMs`).
   */
  async begin(appId: string, stateId: string, intervalMs: number, kind: CallKind, cap: number, markJob?: { ttlMs: number }): Promise<BeginAnswer> {
    const step = this.beginStep(appId, stateId, intervalMs, kind, cap, markJob);
    return beginAnswerOf(await beginScript.run(this.redis, step.keys, step.args));
  }

  /** gewe-begin.lua's keys and arguments, for a script that composes it in (take-and-begin.ts); its reply reads with beginAnswerOf. */
  beginStep(appId: string, stateId: string, intervalMs: number, kind: CallKind, cap: number, markJob?: { ttlMs: number }) {
    const now = this.clock.now();
    const keys = [this.keys.gewePace(appId), this.keys.account('gewe', appId), this.keys.geweDay(appId, localDay(now, this.timeZone))];
    const args: (string | number)[] = [stateId, now, intervalMs, kind, cap, 2 * DAY, PACE_LANES[kind].lastSent];
    if (markJob) {
      keys.push(this.keys.job(stateId));
      args.push(markJob.ttlMs);
    }
    return { keys, args };
  }

  /** The account's call of this kind has ended: the lane's next one is spaced from now (see gewe-finished.lua). */
  async finished(appId: string, kind: CallKind): Promise<void> {
    const step = this.finishedStep(appId, kind);
    await finishedScript.run(this.redis, step.keys, step.args);
  }

  /** gewe-finished.lua's keys and arguments, for a script that composes it in (end-gewe-call.ts). */
  finishedStep(appId: string, kind: CallKind): { keys: string[]; args: string[] } {
    const keys = [this.keys.gewePace(appId), this.keys.account('gewe', appId)];
    return { keys, args: [String(Math.ceil(this.clock.now())), PACE_LANES[kind].lastSent] };
  }

  /** Today's count of one kind of call for an account. */
  async countToday(appId: string, kind: CallKind): Promise<number> {
    const day = localDay(this.clock.now(), this.timeZone);
    return Number((await this.redis.hget(this.keys.geweDay(appId, day), kind)) ?? 0);
  }
}

/** gewe-begin.lua's reply. */
export function beginAnswerOf(reply: unknown): BeginAnswer {
  const [answer, value] = reply as [string, string | number];
  if (answer === 'early') return { kind: 'early', waitMs: Number(value) };
  return { kind: answer === 'cap' ? 'cap' : 'ok', countToday: Number(value) };
}

/** gewe-reserve.lua's reply: the slot (ms, as text) and the account's tier. */
export function reservationOf(reply: unknown): Reservation {
  const [slot, tier] = reply as [string, GeweTier];
  return { slot: Number(slot), tier };
}
