import { describe, expect, it } from 'vitest';
import { RedisClockOffset } from '../../src/limiter/redis-clock-offset.js';

describe('RedisClockOffset', () => {
  it('trusts the shortest round trip, not the latest', () => {
    const clock = new RedisClockOffset();
    // Redis is 100 ms ahead. A quick round trip reads it exactly...
    clock.sample(1000, 1001, 1100.5);
    expect(clock.toLocal(2100)).toBeCloseTo(2000, 6);
    // ...and a slow one (cold code, 60 ms) whose midpoint is 25 ms off is ignored.
    clock.sample(2000, 2060, 2105);
    expect(clock.toLocal(2100)).toBeCloseTo(2000, 6);
  });

  it('tells how far off it may be: half its best round trip plus drift, capped, and the cap before any sample', () => {
    const clock = new RedisClockOffset(0.001);
    expect(clock.uncertaintyMs(0, 100)).toBe(100);
    // A starved first round trip (300 ms): the cap, not 150 ms.
    clock.sample(0, 300, 250);
    expect(clock.uncertaintyMs(300, 100)).toBe(100);
    // A quick one (2 ms): 1 ms, growing by the drift allowance as it ages.
    clock.sample(1000, 1002, 1001);
    expect(clock.uncertaintyMs(1002, 100)).toBeCloseTo(1, 6);
    expect(clock.uncertaintyMs(11_002, 100)).toBeCloseTo(11, 6);
  });

  it('follows a drifting clock once its best sample has aged', () => {
    const clock = new RedisClockOffset(0.001); // 1 ms of allowance per second of age
    clock.sample(0, 1, 100.5);
    // Ten seconds on, a 5 ms round trip is within the aged best (1 + 10 ms) and is taken.
    clock.sample(10_000, 10_005, 10_112.5);
    expect(clock.toLocal(10_112.5)).toBeCloseTo(10_002.5, 6);
  });
});
