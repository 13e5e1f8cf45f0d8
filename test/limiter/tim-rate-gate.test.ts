import { describe, expect, it } from 'vitest';
import { TimRateGate } from '../../src/limiter/tim-rate-gate.js';
import { preciseNow } from '../../src/lib/precise-now.js';
import { maxInSlidingWindow } from '../../src/sim/shared/arrival-stats.js';
import { useRedisPrefix } from '../helpers/redis-prefix.js';
import { waitFor } from '../helpers/wait-for.js';

describe('TIM rate gate (GCRA in Redis)', () => {
  const db = useRedisPrefix('gate');
  const { keys } = db;

  /** Grants `n` permits through `gates` (one per simulated process) and returns their times. */
  async function grant(gates: TimRateGate[], sdkAppId: number, n: number): Promise<number[]> {
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        await gates[i % gates.length]!.acquire(sdkAppId);
        times.push(preciseNow());
      }),
    );
    return times.sort((a, b) => a - b);
  }

  it('spaces permits 1000/rate × 1.03 apart across several gates sharing Redis', async () => {
    const gates = [1, 2, 3].map(() => new TimRateGate(db.redis, keys, { ratePerSec: 50 }));
    const times = await grant(gates, 1, 60);
    expect(maxInSlidingWindow(times)).toBeLessThanOrEqual(50);
    // On average one interval apart. A single pair may come closer by the send jitter (late
    // tolerance plus event-loop delay on a busy machine), which the 1.03 margin absorbs.
    const mean = (times.at(-1)! - times[0]!) / (times.length - 1);
    expect(mean).toBeGreaterThanOrEqual((1000 / 50) * 1.03 * 0.99);
  });

  it('halves the rate on 60007 for everyone, counts close penalties once, and climbs back', async () => {
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 100, climbStepMs: 200 });
    expect(await gate.penalize(2)).toBe(50);
    expect(await gate.penalize(2)).toBe(50); // within a second of the first: counted once
    const times = await grant([gate], 2, 6);
    const mean = (times.at(-1)! - times[0]!) / (times.length - 1);
    expect(mean).toBeGreaterThanOrEqual((1000 / 50) * 1.03 * 0.99);
    const state = await db.redis.hgetall(keys.timGate(2));
    expect(Number(state.prate)).toBe(50);
    // A second later the rate has climbed back (a tenth of the limit per 200 ms step) to the
    // limit, so a new 60007 halves 100 again, not 50.
    await new Promise((r) => setTimeout(r, 1100));
    expect(await gate.penalize(2)).toBe(50);
  });

  it('treats a deleted gate as the worst case: the next slot starts a horizon ahead', async () => {
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 100 });
    await grant([gate], 3, 3);
    await db.redis.del(keys.timGate(3));
    const before = preciseNow();
    await gate.acquire(3);
    // Horizon: at least 50 ms; the limit holds through the loss instead of bursting.
    expect(preciseNow() - before).toBeGreaterThanOrEqual(45);
  });

  it('gives up a slot it wakes too late for, and takes a new one', async () => {
    // 10/s: the second slot is about 100 ms after the first.
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 10 });
    await gate.acquire(4);
    const tatBefore = await db.redis.hget(keys.timGate(4), 'tat');
    const second = gate.acquire(4);
    await waitFor('the second slot to be reserved', async () => (await db.redis.hget(keys.timGate(4), 'tat')) !== tatBefore, 5000, 0);
    // Block the event loop well past that slot, as a busy CPU would.
    const until = Date.now() + 250;
    while (Date.now() < until);
    await second;
    expect(gate.slotsGivenUp).toBeGreaterThanOrEqual(1);
  });
});
