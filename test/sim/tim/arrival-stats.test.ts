import { describe, expect, it } from 'vitest';
import { maxInSlidingWindow, minSpacing } from '../../../src/sim/shared/arrival-stats.js';
import { SlidingWindowCounter } from '../../../src/sim/shared/sliding-window.js';

describe('maxInSlidingWindow', () => {
  it('handles no and one arrival', () => {
    expect(maxInSlidingWindow([])).toBe(0);
    expect(maxInSlidingWindow([5])).toBe(1);
  });

  it('puts arrivals exactly windowMs apart in different windows', () => {
    expect(maxInSlidingWindow([0, 1000])).toBe(1);
    expect(maxInSlidingWindow([0, 999.999])).toBe(2);
    expect(maxInSlidingWindow([0, 500, 1000, 1500])).toBe(2);
  });

  it('finds the busiest window anywhere, not only on fixed seconds', () => {
    // Evenly spaced at 10 ms: 100 in every sliding second.
    const times = [...Array.from({ length: 100 }, (_, i) => i * 10), ...Array.from({ length: 100 }, (_, i) => 1000 + i * 10)];
    expect(maxInSlidingWindow(times)).toBe(100);
    // A burst at the seam: 100 in each fixed second [0, 1000) and [1000, 2000), 200 in [900, 1900).
    const seam = [...Array.from({ length: 100 }, (_, i) => 900 + i), ...Array.from({ length: 100 }, (_, i) => 1000 + i)];
    expect(maxInSlidingWindow(seam)).toBe(200);
  });

  it('sorts unsorted input and honours another window length', () => {
    expect(maxInSlidingWindow([300, 0, 100, 200], 250)).toBe(3);
    expect(maxInSlidingWindow([300, 0, 100, 200], 100)).toBe(1);
  });

  it('counts equal times together', () => {
    expect(maxInSlidingWindow([7, 7, 7, 1007])).toBe(3);
  });
});

describe('minSpacing', () => {
  it('is Infinity below two arrivals', () => {
    expect(minSpacing([])).toBe(Infinity);
    expect(minSpacing([1])).toBe(Infinity);
  });

  it('finds the least gap, in any order', () => {
    expect(minSpacing([0, 10, 15, 40])).toBe(5);
    expect(minSpacing([40, 0, 15, 10])).toBe(5);
    expect(minSpacing([3, 3])).toBe(0);
  });
});

describe('SlidingWindowCounter', () => {
  it('agrees with maxInSlidingWindow on the half-open boundary', () => {
    const counter = new SlidingWindowCounter(1000);
    expect(counter.hit(0)).toBe(1);
    expect(counter.hit(999.5)).toBe(2);
    expect(counter.hit(1000)).toBe(2); // 0 has left the window
    expect(counter.count(1999.5)).toBe(1);
    expect(counter.count(2000)).toBe(0);
  });

  it('stays exact across many hits (compaction)', () => {
    const counter = new SlidingWindowCounter(100);
    let last = 0;
    for (let i = 0; i < 10_000; i++) last = counter.hit(i);
    expect(last).toBe(100);
  });

  it('puts a hit that comes a little out of order in its place (a gateway stamped it earlier)', () => {
    const counter = new SlidingWindowCounter(1000);
    counter.hit(0);
    counter.hit(500);
    // Stamped at 400, counted after 500: its window (-600, 400] holds 0 and itself.
    expect(counter.hit(400)).toBe(2);
    // The window (100, 1100] holds 400, 500 and 1100: the late one counts in its place.
    expect(counter.hit(1100)).toBe(3);
    expect(counter.count(1401)).toBe(2);
  });
});
