import { InvalidArgumentError } from 'commander';

/** Parsers for flag values: a bad value is a usage error that names the flag (exit code 2). */
export function integerIn(min: number, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

export function positiveSeconds(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds above 0');
  return n;
}

/** An instant in ISO 8601, such as 2026-01-01T08:00:00+08:00; a date alone is midnight UTC. */
export function isoTime(text: string): Date {
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('expected an ISO 8601 time, such as 2026-01-01T08:00:00+08:00');
  }
  return date;
}

export function providerName(text: string): 'tim' | 'gewe' {
  if (text !== 'tim' && text !== 'gewe') throw new InvalidArgumentError('expected tim or gewe');
  return text;
}

/** How often --wait and --watch read the request's status, in ms. */
export const WATCH_INTERVAL_MS = 500;
