import { MINUTE } from '../lib/time.js';

/** The longest wait between two attempts of one target. */
export const MAX_RETRY_DELAY_MS = 15 * MINUTE;

/**
 * Exponential backoff with full jitter around the middle: attempt 1 waits base × [0.5, 1.5),
 * attempt 2 twice that, and so on, up to MAX_RETRY_DELAY_MS.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.min(MAX_RETRY_DELAY_MS, Math.round(exponential * (0.5 + random())));
}
