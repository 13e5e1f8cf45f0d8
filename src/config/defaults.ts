import { HOUR, MINUTE, SECOND } from '../lib/time.js';

/**
 * Every default in one object. docs/design.md ties the GeWe numbers to GeWe's own guidance
 * (shared/reference/NOTES.md, "GeWe pacing, by GeWe's own guidance").
 */
export const DEFAULTS = {
  redisUrl: 'redis://127.0.0.1:6379',
  queuePrefix: 'bull',
  timBaseUrl: 'https://console.tim.qq.com',
  timAdmin: 'administrator',
  /** The seed doc's limit for friend_add, per SDKAppID. */
  timRatePerSec: 100,
  /** Our socket to TIM's clock; see docs/design.md (the rate's ceiling is 1000 / (1000 + this)). */
  timJitterMarginMs: 25,
  geweBaseUrl: 'http://api.geweapi.com',
  /** GeWe: "only after three days online". */
  geweNewAccountHours: 72,
  /** New accounts: at most 5 adds a day, at least 20 minutes apart. */
  geweNewIntervalMs: 20 * MINUTE,
  /** Seasoned accounts: 15 minutes apart keeps them to 8 in any 2 hours. */
  geweIntervalMs: 15 * MINUTE,
  /** "random intervals": up to half an interval more. */
  geweJitter: 0.5,
  geweDailyCapNew: 5,
  geweDailyCap: 15,
  /** "at most about 200 accepts per day". */
  geweDailyCapAccept: 200,
  geweTimezone: 'Asia/Shanghai',
  httpTimeoutMs: 10 * SECOND,
  maxAttempts: 5,
  retryBaseMs: 2 * SECOND,
  strikeBackoffMs: 10 * MINUTE,
  geweStrikeBackoffMs: 6 * HOUR,
  strikeMaxRepeats: 3,
  workerConcurrency: 50,
  jobLockMs: 6 * SECOND,
  requestTtlHours: 72,
  apiPort: 3000,
  /** The API serves the gauges read from Redis; a worker only when asked (one place, no duplicates). */
  workerStateMetrics: false,
  providers: 'tim,gewe',
  /** A suspended credential is probed once a minute: a fixed key is noticed soon, a wrong one costs 1 call/min. */
  providerRecheckMs: MINUTE,
  /** After STRIKE_MAX_REPEATS strikes in a row: a day, the span anti-spam counters usually cover. */
  strikeLockoutMs: 24 * HOUR,
  /**
   * Accepts and rejects: 2 min apart, so even at the largest jitter (×1.5) the 200-a-day cap is
   * reached within 10 hours, inside a typical active window such as 09:00-22:00.
   */
  geweAcceptIntervalMs: 2 * MINUTE,
} as const;
