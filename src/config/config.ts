import { HOUR } from '../lib/time.js';
import type { ProviderName } from '../domain/types.js';
import type { Env } from './schema.js';

/** The one resolved configuration object, built once at start and handed down. Units are in names. */
export interface Config {
  redisUrl: string;
  /** The providers this deployment serves (PROVIDERS); jobs for others are refused `provider_disabled`. */
  providers: ProviderName[];
  /** While a credential is suspended, one probe call at most this often, ms. */
  providerRecheckMs: number;
  queuePrefix: string;
  logLevel: Env['LOG_LEVEL'];
  tim: {
    baseUrl: string;
    sdkAppId?: number;
    /** Signs UserSig; never logged nor stored in Redis. */
    secretKey?: string;
    admin: string;
    ratePerSec: number;
    /** The largest delay from our socket to TIM's arrival stamp the limit must survive, ms. */
    jitterMarginMs: number;
    strikeBackoffMs: number;
    /** When set, TIM callbacks must carry a valid Sign for it. */
    callbackToken?: string;
  };
  gewe: {
    baseUrl: string;
    /** Sent as X-GEWE-TOKEN; never logged nor stored in Redis. */
    token?: string;
    newAccountMs: number;
    newIntervalMs: number;
    intervalMs: number;
    jitter: number;
    dailyCapNew: number;
    dailyCap: number;
    dailyCapAccept: number;
    timeZone: string;
    activeHours?: { fromMinute: number; toMinute: number };
    strikeBackoffMs: number;
    /** Least time between two accepts or rejects (options 3, 4) of one account, ms. */
    acceptIntervalMs: number;
    /** Default policy for incoming friend requests: off, all, or match:<regex>. */
    autoAccept: string;
    /** The last path segment of the GeWe callback URL; callbacks are refused until it is set. */
    callbackSecret?: string;
  };
  httpTimeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  strikeMaxRepeats: number;
  /** How long an account is locked out after STRIKE_MAX_REPEATS strikes in a row, ms. */
  strikeLockoutMs: number;
  workerConcurrency: number;
  jobLockMs: number;
  requestTtlMs: number;
  api: {
    port: number;
    /** `off`: the API and dashboard run without credentials, on purpose (API_AUTH). */
    auth: 'token' | 'off';
    token?: string;
    dashboardUser?: string;
    dashboardPassword?: string;
    dashboardReadonly: boolean;
  };
  workerMetricsPort?: number;
  /**
   * WORKER_STATE_METRICS: this worker's /metrics also serves the gauges read from Redis (queue
   * depths, accounts, providers), for a deployment without an API. One process must serve them.
   */
  workerStateMetrics: boolean;
  webhook?: { url: string; secret?: string };
  /** False (RESULTS_QUEUE=off): results go to the webhook only, not to friend-add-results. */
  resultsQueue: boolean;
  /** Testing only: where a worker kills itself (see src/lib/crash-point.ts). */
  crashAt?: CrashPoint;
}

export type CrashPoint = NonNullable<Env['CRASH_AT']>;

export function toConfig(env: Env): Config {
  return {
    redisUrl: env.REDIS_URL,
    providers: env.PROVIDERS,
    providerRecheckMs: env.PROVIDER_RECHECK_MS,
    queuePrefix: env.QUEUE_PREFIX,
    logLevel: env.LOG_LEVEL,
    tim: {
      baseUrl: env.TIM_BASE_URL.replace(/\/+$/, ''),
      sdkAppId: env.TIM_SDKAPPID,
      secretKey: env.TIM_SECRET_KEY,
      admin: env.TIM_ADMIN,
      ratePerSec: env.TIM_RATE_PER_SEC,
      jitterMarginMs: env.TIM_JITTER_MARGIN_MS,
      strikeBackoffMs: env.STRIKE_BACKOFF_MS,
      callbackToken: env.TIM_CALLBACK_TOKEN,
    },
    gewe: {
      baseUrl: env.GEWE_BASE_URL.replace(/\/+$/, ''),
      token: env.GEWE_TOKEN,
      newAccountMs: env.GEWE_NEW_ACCOUNT_HOURS * HOUR,
      newIntervalMs: env.GEWE_NEW_INTERVAL_MS,
      intervalMs: env.GEWE_INTERVAL_MS,
      jitter: env.GEWE_JITTER,
      dailyCapNew: env.GEWE_DAILY_CAP_NEW,
      dailyCap: env.GEWE_DAILY_CAP,
      dailyCapAccept: env.GEWE_DAILY_CAP_ACCEPT,
      timeZone: env.GEWE_TIMEZONE,
      activeHours: env.GEWE_ACTIVE_HOURS,
      strikeBackoffMs: env.GEWE_STRIKE_BACKOFF_MS,
      acceptIntervalMs: env.GEWE_ACCEPT_INTERVAL_MS,
      autoAccept: env.GEWE_AUTO_ACCEPT,
      callbackSecret: env.GEWE_CALLBACK_SECRET,
    },
    httpTimeoutMs: env.HTTP_TIMEOUT_MS,
    maxAttempts: env.MAX_ATTEMPTS,
    retryBaseMs: env.RETRY_BASE_MS,
    strikeMaxRepeats: env.STRIKE_MAX_REPEATS,
    strikeLockoutMs: env.STRIKE_LOCKOUT_MS,
    workerConcurrency: env.WORKER_CONCURRENCY,
    jobLockMs: env.JOB_LOCK_MS,
    requestTtlMs: env.REQUEST_TTL_HOURS * HOUR,
    api: {
      port: env.API_PORT,
      auth: env.API_AUTH,
      token: env.API_TOKEN,
      dashboardUser: env.DASHBOARD_USER,
      dashboardPassword: env.DASHBOARD_PASSWORD,
      // Without basic auth anyone who reaches the dashboard could retry or remove jobs.
      dashboardReadonly: env.DASHBOARD_READONLY ?? !(env.DASHBOARD_USER && env.DASHBOARD_PASSWORD),
    },
    workerMetricsPort: env.WORKER_METRICS_PORT,
    workerStateMetrics: env.WORKER_STATE_METRICS,
    crashAt: env.CRASH_AT,
    resultsQueue: env.RESULTS_QUEUE === 'on',
    webhook: env.RESULTS_WEBHOOK_URL ? { url: env.RESULTS_WEBHOOK_URL, secret: env.RESULTS_WEBHOOK_SECRET } : undefined,
  };
}
