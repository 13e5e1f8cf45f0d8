import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import type { Config } from '../config/config.js';
import { localDay } from '../pacing/calendar.js';
import { PACE_LANES, type CallKind } from '../pacing/pace-lanes.js';
import type { GeweTier } from './gewe-registry.js';

type GeweConfig = Config['gewe'];

/** One pacing lane of a GeWe account: adds, or accepts and rejects. */
export interface LaneView {
  /** Calls of this kind today (local day in GEWE_TIMEZONE), and the day's cap for this account. */
  usedToday: number;
  capToday: number;
  /** The least time between two calls of the lane for this account, ms. */
  intervalMs: number;
  /** When the lane's last call ended (ISO), or null. */
  lastSentAt: string | null;
  /** The earliest the spacing allows the lane's next call (ISO): the last call plus the interval, or now. */
  nextSendAt: string;
  /** Where the next job that asks gets its slot (ISO): each reservation moves it on by an interval plus jitter. */
  nextFreeAt: string | null;
}

export interface GeweView {
  /** When it came online (PUT /v1/gewe/accounts/{appId}), or null: unregistered, paced as new. */
  onlineSince: string | null;
  tier: GeweTier;
  /** The local day the caps count (GEWE_TIMEZONE). */
  day: string;
  lanes: Record<CallKind, LaneView>;
  /** Jobs holding a reserved slot on the account (either lane). */
  reservations: number;
}

/** A GeWe account's tier, today's caps used and its lanes' next slots, without side effects. */
export async function readGeweView(redis: RedisClient, keys: Keys, gewe: GeweConfig, appId: string, now: number): Promise<GeweView> {
  const day = localDay(now, gewe.timeZone);
  const laneFields = [PACE_LANES.add.nextFree, PACE_LANES.add.lastSent, PACE_LANES.accept.nextFree, PACE_LANES.accept.lastSent];
  const [[, since], [, paceFields], [, paceSize], [, acctLast], [, counts]] = (await redis
    .multi()
    .hget(keys.geweAccounts(), appId)
    .hmget(keys.gewePace(appId), ...laneFields)
    .hlen(keys.gewePace(appId))
    .hmget(keys.account('gewe', appId), PACE_LANES.add.lastSent, PACE_LANES.accept.lastSent)
    .hmget(keys.geweDay(appId, day), 'add', 'accept')
    .exec()) as [[unknown, string | null], [unknown, (string | null)[]], [unknown, number], [unknown, (string | null)[]], [unknown, (string | null)[]]];
  const onlineSince = since === null ? null : Number(since);
  const tier: GeweTier = onlineSince !== null && now - onlineSince >= gewe.newAccountMs ? 'seasoned' : 'new';
  const [addFree, addLast, acceptFree, acceptLast] = paceFields;
  const lane = (kind: CallKind, free: string | null, paceLast: string | null, acctLastSent: string | null, used: string | null): LaneView => {
    const intervalMs = kind === 'accept' ? gewe.acceptIntervalMs : tier === 'new' ? gewe.newIntervalMs : gewe.intervalMs;
    const capToday = kind === 'accept' ? gewe.dailyCapAccept : tier === 'new' ? gewe.dailyCapNew : gewe.dailyCap;
    // gewe-begin.lua reads the pacing hash first and the account's copy when the hash was lost.
    const last = Math.max(Number(paceLast ?? 0), Number(acctLastSent ?? 0));
    return {
      usedToday: Number(used ?? 0),
      capToday,
      intervalMs,
      lastSentAt: last > 0 ? iso(last) : null,
      nextSendAt: iso(Math.max(now, last + intervalMs)),
      nextFreeAt: free === null ? null : iso(Math.max(now, Number(free))),
    };
  };
  return {
    onlineSince: onlineSince === null ? null : iso(onlineSince),
    tier,
    day,
    lanes: {
      add: lane('add', addFree ?? null, addLast ?? null, acctLast[0] ?? null, counts[0] ?? null),
      accept: lane('accept', acceptFree ?? null, acceptLast ?? null, acctLast[1] ?? null, counts[1] ?? null),
    },
    reservations: paceSize - paceFields.filter((f) => f !== null).length,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
