/** Minutes after local midnight: from inclusive, to exclusive; from > to wraps midnight. */
export interface ActiveHours {
  fromMinute: number;
  toMinute: number;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Each zone's last reading: a busy worker asks for the same second many times (Intl is slow). */
const lastReading = new Map<string, { second: number; wall: Readonly<WallTime & { second: number }> }>();

function wallTime(ms: number, timeZone: string): Readonly<WallTime & { second: number }> {
  const second = Math.floor(ms / 1000);
  const last = lastReading.get(timeZone);
  if (last?.second === second) return last.wall;
  const wall = Object.freeze(readWallTime(ms, timeZone));
  lastReading.set(timeZone, { second, wall });
  return wall;
}

function readWallTime(ms: number, timeZone: string): WallTime & { second: number } {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  const hour = Number(parts.hour) % 24;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minuteOfDay: hour * 60 + Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The zone's offset from UTC at that instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, 0, w.minuteOfDay, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant when the zone's clocks show that local date and minute (DST-safe). */
function instantOf(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  let guess = naive - offsetAt(naive, timeZone);
  guess = naive - offsetAt(guess, timeZone);
  return guess;
}

/** The local date, `YYYY-MM-DD`: the key of a day's caps. */
export function localDay(ms: number, timeZone: string): string {
  const w = wallTime(ms, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The next local midnight after `ms`: when the daily caps start again. */
export function nextMidnight(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  return instantOf(w.year, w.month, w.day + 1, 0, timeZone);
}

export function isInside(minuteOfDay: number, hours: ActiveHours): boolean {
  const { fromMinute: from, toMinute: to } = hours;
  if (from === to) return true;
  return from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to;
}

/** `ms` itself when inside the active hours (or none are set), else the next opening. */
export function nextOpening(ms: number, timeZone: string, hours?: ActiveHours): number {
  if (!hours) return ms;
  const w = wallTime(ms, timeZone);
  if (isInside(w.minuteOfDay, hours)) return ms;
  const dayOffset = w.minuteOfDay < hours.fromMinute ? 0 : 1;
  return instantOf(w.year, w.month, w.day + dayOffset, hours.fromMinute, timeZone);
}
