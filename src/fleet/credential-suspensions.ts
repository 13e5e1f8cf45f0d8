import { createHash } from 'node:crypto';
import type { Keys } from '../lib/keys.js';
import type { RedisClient } from '../lib/redis-client.js';
import type { ProviderName } from '../domain/types.js';
import { scriptBeside } from '../lib/lua-script.js';

const suspendScript = scriptBeside(import.meta.url, 'suspend-credential.lua');
const checkScript = scriptBeside(import.meta.url, 'check-credential.lua');

/** One suspended credential, as every worker and the API see it. Times are ms since the epoch. */
export interface Suspension {
  provider: ProviderName;
  /** Names the credential without revealing it (see credentialFingerprint). */
  fingerprint: string;
  code: number | string;
  info: string;
  since: number;
  /** The earliest time a worker may probe it with one call. */
  probeAt: number;
}

export type CheckAnswer = { kind: 'go' } | { kind: 'probe' } | { kind: 'wait'; probeAt: number; code: string; info: string };

/**
 * A short, stable name for a credential: the first 16 hex digits of a SHA-256 over its parts.
 * The secret never reaches Redis or a log, yet workers that share a key share its suspension,
 * and a worker started with another key is not held back by it.
 */
export function credentialFingerprint(provider: ProviderName, parts: ReadonlyArray<string | number | undefined>): string {
  return createHash('sha256')
    .update([provider, ...parts.map((p) => String(p ?? ''))].join('\n'))
    .digest('hex')
    .slice(0, 16);
}

/** Credentials suspended after a configuration error, in one Redis hash shared by the deployment. */
export class CredentialSuspensions {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** Resolves true when this began the suspension (the caller logs it, once). */
  async suspend(provider: ProviderName, fingerprint: string, code: number | string, info: string, now: number, recheckMs: number): Promise<boolean> {
    const args = { field: fieldOf(provider, fingerprint), provider, fingerprint, code, info, now, recheckMs };
    return Number(await suspendScript.run(this.redis, [this.keys.suspensions()], [JSON.stringify(args)])) === 1;
  }

  async check(provider: ProviderName, fingerprint: string, now: number, recheckMs: number): Promise<CheckAnswer> {
    const raw = (await checkScript.run(this.redis, [this.keys.suspensions()], [fieldOf(provider, fingerprint), now, recheckMs])) as string[];
    if (raw[0] === 'go') return { kind: 'go' };
    if (raw[0] === 'probe') return { kind: 'probe' };
    return { kind: 'wait', probeAt: Number(raw[1]), code: raw[2] ?? '', info: raw[3] ?? '' };
  }

  /** Resolves true when the credential was suspended and is no longer. */
  async lift(provider: ProviderName, fingerprint: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.suspensions(), fieldOf(provider, fingerprint))) === 1;
  }

  async list(): Promise<Suspension[]> {
    const all = await this.redis.hgetall(this.keys.suspensions());
    return Object.values(all).map((raw) => JSON.parse(raw) as Suspension);
  }
}

function fieldOf(provider: ProviderName, fingerprint: string): string {
  return `${provider}:${fingerprint}`;
}
