import type { Config } from '../config/config.js';
import type { ProviderName } from '../domain/types.js';
import type { Keys } from '../lib/keys.js';
import type { RedisClient } from '../lib/redis-client.js';
import { readTimRate } from '../limiter/tim-rate-reading.js';
import { CredentialSuspensions, credentialFingerprint, type Suspension } from './credential-suspensions.js';
import { SERVED_WITHIN_MS } from './served-services.js';

/** One provider as the deployment sees it: `GET /v1/providers`, `/readyz`, `friend-add providers`. */
export interface ProviderStatus {
  provider: ProviderName;
  /** In this process's PROVIDERS. */
  enabled: boolean;
  /** When a worker last said it serves the provider (ISO), or null: never, or not for a day. */
  workersSeenAt: string | null;
  /** This process's credential, by fingerprint; null when it has none for the provider. */
  credential: string | null;
  /** Whether this process's credential is suspended, with why and until when a probe may run. */
  suspended: boolean;
  suspensions: Array<Omit<Suspension, 'since' | 'probeAt'> & { since: string; nextProbeAt: string; ours: boolean }>;
  /** TIM only: the configured limit and the rate the gate grants now (lower after 60007). */
  rate?: { limitPerSec: number; currentPerSec: number };
}

/** The fingerprints of this configuration's credentials (the workers compute the same). */
export function ownFingerprints(config: Config): Partial<Record<ProviderName, string>> {
  const { tim, gewe } = config;
  return {
    ...(tim.sdkAppId !== undefined && tim.secretKey && { tim: credentialFingerprint('tim', [tim.sdkAppId, tim.admin, tim.secretKey]) }),
    ...(gewe.token && { gewe: credentialFingerprint('gewe', [gewe.token]) }),
  };
}

export async function readProviderStatus(config: Config, redis: RedisClient, keys: Keys, now = Date.now()): Promise<ProviderStatus[]> {
  const [all, served] = await Promise.all([new CredentialSuspensions(redis, keys).list(), redis.hgetall(keys.servedBy())]);
  const own = ownFingerprints(config);
  const statuses: ProviderStatus[] = [];
  for (const provider of ['tim', 'gewe'] as const) {
    const seen = Number(served[provider] ?? 0);
    const suspensions = all
      .filter((s) => s.provider === provider)
      .map(({ since, probeAt, ...rest }) => ({ ...rest, since: iso(since), nextProbeAt: iso(probeAt), ours: rest.fingerprint === own[provider] }));
    const status: ProviderStatus = {
      provider,
      enabled: config.providers.includes(provider),
      workersSeenAt: seen > 0 && now - seen < SERVED_WITHIN_MS ? iso(seen) : null,
      credential: own[provider] ?? null,
      suspended: suspensions.some((s) => s.ours),
      suspensions,
    };
    if (provider === 'tim' && config.tim.sdkAppId !== undefined) {
      const limit = config.tim.ratePerSec;
      status.rate = { limitPerSec: limit, currentPerSec: await readTimRate(redis, keys, config.tim.sdkAppId, limit, now) };
    }
    statuses.push(status);
  }
  return statuses;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
