import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { scriptBeside } from '../lib/lua-script.js';
import { DAY } from '../lib/time.js';
import type { Clock } from '../lib/clock.js';
import { localDay } from './calendar.js';

const reserveScript = scriptBeside(import.meta.url, 'gewe-reserve.lua');
const beginScript = scriptBeside(import.meta.url, 'gewe-begin.lua');
const finishedScript = scriptBeside(import.meta.url, 'gewe-finished.lua');

/** Adds (option 2) and accepts or rejects (options 3, 4) have separate daily caps. */
export type CallKind = 'add' | 'accept';

export type BeginAnswer = { kind: 'ok'; countToday: number } | { kind: 'early'; waitMs: number } | { kind: 'cap'; countToday: number };

/**
 * Per-account pacing for GeWe, across every worker: reservations give each job its slot in
 * arrival order; `begin` checks the real spacing between sends and the day's cap atomically with
 * recording the send. The clock is injectable for the day arithmetic; Redis holds the state.
 */
export class GewePacer {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly timeZone: string,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  async reserve(appId: string, stateId: string, intervalMs: number, jitter: number, notBeforeMs = 0): Promise<number> {
    const keys = [this.keys.gewePace(appId), this.keys.account('gewe', appId)];
    const args = [stateId, this.clock.now(), intervalMs, jitter, this.random(), notBeforeMs];
    return Number(await reserveScript.run(this.redis, keys, args));
  }

  async begin(appId: string, stateId: string, intervalMs: number, kind: CallKind, cap: number): Promise<BeginAnswer> {
    const now = this.clock.now();
    const keys = [this.keys.gewePace(appId), this.keys.account('gewe', appId), this.keys.geweDay(appId, localDay(now, this.timeZone))];
    const [answer, value] = (await beginScript.run(this.redis, keys, [stateId, now, intervalMs, kind, cap, 2 * DAY])) as [
      string,
      string | number,
    ];
    if (answer === 'early') return { kind: 'early', waitMs: Number(value) };
    return { kind: answer === 'cap' ? 'cap' : 'ok', countToday: Number(value) };
  }

  /** The account's call has ended: the next one is spaced from now (see gewe-finished.lua). */
  async finished(appId: string): Promise<void> {
    const keys = [this.keys.gewePace(appId), this.keys.account('gewe', appId)];
    await finishedScript.run(this.redis, keys, [Math.ceil(this.clock.now())]);
  }

  /** Today's count of one kind of call for an account. */
  async countToday(appId: string, kind: CallKind): Promise<number> {
    const day = localDay(this.clock.now(), this.timeZone);
    return Number((await this.redis.hget(this.keys.geweDay(appId, day), kind)) ?? 0);
  }
}
