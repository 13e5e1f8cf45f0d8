import { describe, expect, it } from 'vitest';
import { isInside, localDay, nextMidnight, nextOpening } from '../../src/pacing/calendar.js';

const SH = 'Asia/Shanghai';
const at = (iso: string) => Date.parse(iso);

describe('calendar of a time zone', () => {
  it('names the local day, which in Shanghai starts at 16:00 UTC', () => {
    expect(localDay(at('2026-11-26T15:59:59Z'), SH)).toBe('2026-11-26');
    expect(localDay(at('2026-11-26T16:00:00Z'), SH)).toBe('2026-11-27');
  });

  it('reads each second afresh, the last millisecond before midnight and the first after, in any order', () => {
    // A zone's last reading is kept for its second: the next millisecond of another second is read again.
    const before = at('2026-11-26T15:59:59.999Z');
    expect(localDay(before, SH)).toBe('2026-11-26');
    expect(localDay(before + 1, SH)).toBe('2026-11-27');
    expect(localDay(before, SH)).toBe('2026-11-26');
    expect(localDay(before - 998, SH)).toBe('2026-11-26');
    // Another zone at the same instant has its own reading.
    expect(localDay(before + 1, 'Europe/Berlin')).toBe('2026-11-26');
    expect(localDay(before + 1, SH)).toBe('2026-11-27');
  });

  it('finds the next local midnight', () => {
    expect(nextMidnight(at('2026-11-26T15:30:00Z'), SH)).toBe(at('2026-11-26T16:00:00Z'));
    expect(nextMidnight(at('2026-11-26T16:00:00Z'), SH)).toBe(at('2026-11-27T16:00:00Z'));
    expect(nextMidnight(at('2026-12-31T17:00:00Z'), SH)).toBe(at('2027-01-01T16:00:00Z'));
  });

  it('follows daylight saving where a zone has it', () => {
    // Berlin moves to CEST on 2026-03-29: that day's midnight after is 22:00 UTC, not 23:00.
    expect(nextMidnight(at('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe(at('2026-03-29T22:00:00Z'));
  });

  it('keeps calls inside the active hours', () => {
    const hours = { fromMinute: 9 * 60, toMinute: 22 * 60 };
    // 10:00 in Shanghai: inside, no wait.
    expect(nextOpening(at('2026-11-26T02:00:00Z'), SH, hours)).toBe(at('2026-11-26T02:00:00Z'));
    // 07:00 in Shanghai: opens at 09:00 the same day.
    expect(nextOpening(at('2026-11-25T23:00:00Z'), SH, hours)).toBe(at('2026-11-26T01:00:00Z'));
    // 23:30 in Shanghai: opens at 09:00 the next day.
    expect(nextOpening(at('2026-11-26T15:30:00Z'), SH, hours)).toBe(at('2026-11-27T01:00:00Z'));
    // No hours set: any time.
    expect(nextOpening(at('2026-11-26T15:30:00Z'), SH)).toBe(at('2026-11-26T15:30:00Z'));
  });

  it('handles hours that wrap midnight', () => {
    const night = { fromMinute: 22 * 60, toMinute: 2 * 60 };
    expect(isInside(23 * 60, night)).toBe(true);
    expect(isInside(60, night)).toBe(true);
    expect(isInside(12 * 60, night)).toBe(false);
  });
});
