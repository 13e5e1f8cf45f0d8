import type { Keys } from '../lib/keys.js';
import type { RedisClient } from '../lib/redis-client.js';
import { CLIMB_STEP_MS } from './tim-rate-gate.js';

/**
 * The rate the TIM gate grants now, for status and metrics: the limit, or after a 60007 the
 * halved rate climbing back by a tenth of the limit per climb step (the rule of gate-reserve.lua).
 * Read on this process's clock, so it may be a climb step behind the gate's own view.
 */
export async function readTimRate(redis: RedisClient, keys: Keys, sdkAppId: number, limit: number, now = Date.now()): Promise<number> {
  const [prate, pat] = await redis.hmget(keys.timGate(sdkAppId), 'prate', 'pat');
  if (prate === null || pat === null) return limit;
  const steps = Math.floor(Math.max(0, now - Number(pat)) / CLIMB_STEP_MS);
  return Math.min(limit, Number(prate) + steps * limit * 0.1);
}
