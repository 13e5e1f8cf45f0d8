import type { RedisClient } from '../lib/redis-client.js';
import { autoAcceptPolicy } from '../config/schema.js';
import { InvalidInputError } from '../domain/errors.js';
import type { CallbackKeys } from './callback-keys.js';

/** `off`, `all`, or `match:<regex>` tested against the greeting (GEWE_AUTO_ACCEPT's form). */
export type AutoAcceptPolicy = string;

const compiled = new Map<string, RegExp>();

/** Whether `policy` accepts a request with this greeting. */
export function policyAccepts(policy: AutoAcceptPolicy, greeting: string): boolean {
  if (policy === 'all') return true;
  if (!policy.startsWith('match:')) return false;
  let regex = compiled.get(policy);
  if (!regex) {
    regex = new RegExp(policy.slice('match:'.length));
    compiled.set(policy, regex);
  }
  return regex.test(greeting);
}

/** Throws InvalidInputError (field `policy`) unless it is a valid policy. */
export function checkPolicy(policy: unknown): AutoAcceptPolicy {
  const parsed = autoAcceptPolicy.safeParse(policy);
  if (!parsed.success) throw new InvalidInputError(`policy: ${parsed.error.issues[0]!.message}`, 'policy');
  return parsed.data;
}

/** Per-account policies in Redis; an account without one follows the deployment's default. */
export class AutoAcceptPolicies {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: CallbackKeys,
    private readonly defaultPolicy: AutoAcceptPolicy,
  ) {}

  async get(appId: string): Promise<AutoAcceptPolicy> {
    return (await this.redis.hget(this.keys.geweAutoAccept(), appId)) ?? this.defaultPolicy;
  }

  async set(appId: string, policy: unknown): Promise<void> {
    await this.redis.hset(this.keys.geweAutoAccept(), appId, checkPolicy(policy));
  }
}
