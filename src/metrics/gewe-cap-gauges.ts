import { Gauge, type Registry } from 'prom-client';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import type { Config } from '../config/config.js';
import { localDay } from '../pacing/calendar.js';
import { metricOnce } from './registry.js';
import { withDeadline } from './with-deadline.js';

const SCRAPE_DEADLINE_MS = 2000;
const KINDS = ['add', 'accept'] as const;

interface CapUse {
  callsToday: Record<(typeof KINDS)[number], number>;
  atCap: Record<(typeof KINDS)[number], number>;
}

/**
 * GeWe daily cap use, over the known accounts (registered, and unregistered ones that got jobs):
 * `friend_add_gewe_calls_today{kind}` and `friend_add_gewe_accounts_at_cap{kind}` (accounts whose
 * adds, or accepts and rejects, reached today's cap: their calls wait for local midnight).
 * Costs one HMGET per GeWe account, pipelined: GeWe accounts are real phones, tens to hundreds.
 */
export function registerGeweCapGauges(registry: Registry, redis: RedisClient, keys: Keys, gewe: Config['gewe']): void {
  let inFlight: Promise<CapUse | undefined> | undefined;
  const read = () =>
    (inFlight ??= withDeadline(readCapUse(redis, keys, gewe, Date.now()), SCRAPE_DEADLINE_MS)
      .catch(() => undefined)
      .finally(() => setImmediate(() => (inFlight = undefined))));
  const gauge = (name: string, help: string, pick: (use: CapUse) => Record<string, number>) =>
    metricOnce(
      registry,
      name,
      () =>
        new Gauge({
          name,
          help,
          labelNames: ['kind'],
          registers: [registry],
          async collect() {
            this.reset();
            const use = await read();
            if (use) for (const kind of KINDS) this.set({ kind }, pick(use)[kind] ?? 0);
          },
        }),
    );
  gauge(
    'friend_add_gewe_calls_today',
    'GeWe calls made today (local day in GEWE_TIMEZONE) by kind: add (option 2), accept (options 3 and 4), all accounts.',
    (u) => u.callsToday,
  );
  gauge('friend_add_gewe_accounts_at_cap', "GeWe accounts whose calls of this kind reached today's cap: they wait for local midnight.", (u) => u.atCap);
}

async function readCapUse(redis: RedisClient, keys: Keys, gewe: Config['gewe'], now: number): Promise<CapUse> {
  const [registered, unregistered] = await Promise.all([
    redis.hgetall(keys.geweAccounts()),
    redis.zrange(keys.accountIndex('gewe', 'unregistered'), '0', '-1'),
  ]);
  const accounts = new Map<string, number | undefined>(unregistered.map((appId) => [appId, undefined]));
  for (const [appId, since] of Object.entries(registered)) accounts.set(appId, Number(since));
  const day = localDay(now, gewe.timeZone);
  const pipeline = redis.pipeline();
  for (const appId of accounts.keys()) pipeline.hmget(keys.geweDay(appId, day), 'add', 'accept');
  const replies = accounts.size ? ((await pipeline.exec()) ?? []) : [];
  const use: CapUse = { callsToday: { add: 0, accept: 0 }, atCap: { add: 0, accept: 0 } };
  [...accounts.values()].forEach((since, i) => {
    const [err, counts] = replies[i] ?? [];
    if (err) throw err;
    const [add, accept] = (counts as (string | null)[]).map((c) => Number(c ?? 0));
    const seasoned = since !== undefined && now - since >= gewe.newAccountMs;
    use.callsToday.add += add!;
    use.callsToday.accept += accept!;
    if (add! >= (seasoned ? gewe.dailyCap : gewe.dailyCapNew)) use.atCap.add += 1;
    if (accept! >= gewe.dailyCapAccept) use.atCap.accept += 1;
  });
  return use;
}
