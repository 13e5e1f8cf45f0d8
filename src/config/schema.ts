import { z } from 'zod';
import { DEFAULTS } from './defaults.js';

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const optionalString = z.string().min(1).optional();
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
const url = z.string().url();

/** "09:00-22:00": minutes after midnight, start inclusive, end exclusive; may wrap midnight. */
const activeHours = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'expected HH:MM-HH:MM, e.g. 09:00-22:00')
  .transform((v) => {
    const [from, to] = v.split('-').map((hm) => {
      const [h, m] = hm.split(':').map(Number);
      return h! * 60 + m!;
    });
    return { fromMinute: from!, toMinute: to! };
  });

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

/** "tim,gewe": the providers a deployment serves, at least one, each once. */
const providerList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  )
  .pipe(z.array(z.enum(['tim', 'gewe'])).min(1, 'name at least one of tim, gewe'))
  .transform((list) => [...new Set(list)]);

/** `off`, `all`, or `match:<regex>` on the greeting; the regex must compile. */
export const autoAcceptPolicy = z.string().refine((v) => {
  if (v === 'off' || v === 'all') return true;
  if (!v.startsWith('match:') || v.length === 'match:'.length) return false;
  try {
    new RegExp(v.slice('match:'.length));
    return true;
  } catch {
    return false;
  }
}, 'expected off, all, or match:<regex> with a valid regular expression');

/** The environment, as the contract names it. Each key is the variable's own name. */
export const envSchema = z
  .object({
    // Several URLs separated by commas name the nodes of a Redis Cluster (see src/lib/redis.ts).
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\/[^,\s]+(,\s*rediss?:\/\/[^,\s]+)*$/, 'expected redis:// or rediss://, or several such URLs separated by commas (a Redis Cluster)')
      .default(DEFAULTS.redisUrl),
    QUEUE_PREFIX: z
      .string()
      .min(1)
      .regex(/^[^\s:]+$/, 'no spaces or colons')
      .default(DEFAULTS.queuePrefix),
    TIM_BASE_URL: url.default(DEFAULTS.timBaseUrl),
    TIM_SDKAPPID: int(1).optional(),
    TIM_SECRET_KEY: optionalString,
    TIM_ADMIN: z.string().min(1).default(DEFAULTS.timAdmin),
    TIM_RATE_PER_SEC: int(1, 100_000).default(DEFAULTS.timRatePerSec),
    TIM_JITTER_MARGIN_MS: int(0, 500).default(DEFAULTS.timJitterMarginMs),
    GEWE_BASE_URL: url.default(DEFAULTS.geweBaseUrl),
    GEWE_TOKEN: optionalString,
    GEWE_NEW_ACCOUNT_HOURS: z.coerce.number().min(0).default(DEFAULTS.geweNewAccountHours),
    GEWE_NEW_INTERVAL_MS: int(0).default(DEFAULTS.geweNewIntervalMs),
    GEWE_INTERVAL_MS: int(0).default(DEFAULTS.geweIntervalMs),
    GEWE_JITTER: z.coerce.number().min(0).max(10).default(DEFAULTS.geweJitter),
    GEWE_DAILY_CAP_NEW: int(0).default(DEFAULTS.geweDailyCapNew),
    GEWE_DAILY_CAP: int(0).default(DEFAULTS.geweDailyCap),
    GEWE_DAILY_CAP_ACCEPT: int(0).default(DEFAULTS.geweDailyCapAccept),
    GEWE_TIMEZONE: timeZone.default(DEFAULTS.geweTimezone),
    GEWE_ACTIVE_HOURS: activeHours.optional(),
    HTTP_TIMEOUT_MS: int(1).default(DEFAULTS.httpTimeoutMs),
    MAX_ATTEMPTS: int(1, 100).default(DEFAULTS.maxAttempts),
    RETRY_BASE_MS: int(0).default(DEFAULTS.retryBaseMs),
    STRIKE_BACKOFF_MS: int(0).default(DEFAULTS.strikeBackoffMs),
    GEWE_STRIKE_BACKOFF_MS: int(0).default(DEFAULTS.geweStrikeBackoffMs),
    STRIKE_MAX_REPEATS: int(1, 100).default(DEFAULTS.strikeMaxRepeats),
    WORKER_CONCURRENCY: int(1, 1000).default(DEFAULTS.workerConcurrency),
    JOB_LOCK_MS: int(1000, 10_000).default(DEFAULTS.jobLockMs),
    REQUEST_TTL_HOURS: z.coerce.number().positive().default(DEFAULTS.requestTtlHours),
    API_PORT: int(0, 65535).default(DEFAULTS.apiPort),
    API_TOKEN: optionalString,
    DASHBOARD_USER: optionalString,
    DASHBOARD_PASSWORD: optionalString,
    DASHBOARD_READONLY: bool.optional(),
    WORKER_METRICS_PORT: int(0, 65535).optional(),
    WORKER_STATE_METRICS: bool.default(DEFAULTS.workerStateMetrics),
    RESULTS_WEBHOOK_URL: url.optional(),
    RESULTS_WEBHOOK_SECRET: optionalString,
    /** Fault injection for the kill tests: the worker SIGKILLs itself at this point (`bug-…`: throws there). Never set it in production. */
    RESULTS_QUEUE: z.enum(['on', 'off']).default('on'),
    PROVIDERS: providerList.prefault(DEFAULTS.providers),
    PROVIDER_RECHECK_MS: int(100).default(DEFAULTS.providerRecheckMs),
    STRIKE_LOCKOUT_MS: int(0).default(DEFAULTS.strikeLockoutMs),
    GEWE_ACCEPT_INTERVAL_MS: int(0).default(DEFAULTS.geweAcceptIntervalMs),
    API_AUTH: z.enum(['token', 'off']).default('token'),
    TIM_CALLBACK_TOKEN: optionalString,
    GEWE_CALLBACK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,}$/, 'at least 16 characters of A-Z a-z 0-9 _ -')
      .optional(),
    GEWE_AUTO_ACCEPT: autoAcceptPolicy.default('off'),
    CRASH_AT: z.enum(['holding-account', 'after-answer', 'writing-results', 'bug-after-answer']).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    // On a Redis Cluster, BullMQ's scripts touch several keys at once: without a hash tag they land
    // in different slots and every call fails with CROSSSLOT. Better to say so at start.
    if (env.REDIS_URL.includes(',') && !hasHashTag(env.QUEUE_PREFIX)) {
      ctx.addIssue({ code: 'custom', path: ['QUEUE_PREFIX'], message: 'a Redis Cluster (REDIS_URL lists several nodes) needs a hash-tag prefix such as {fa}' });
    }
  });

/** Redis hashes only the part between the first `{` and the next `}`, when it is not empty. */
function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  const close = prefix.indexOf('}', open + 1);
  return open >= 0 && close > open + 1;
}

export type Env = z.infer<typeof envSchema>;
