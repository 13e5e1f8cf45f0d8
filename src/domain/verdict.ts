import type { Outcome, ResultCode, RetryClass } from './types.js';

/** How one target fared in one call. */
export interface TargetVerdict {
  target: string;
  retryClass: RetryClass;
  /** Set when retryClass is `final`. */
  outcome?: Outcome;
  code: ResultCode;
  info: string;
  /** Whether this call answered for the target (counts as an attempt). */
  answered: boolean;
}

/**
 * What happened to the account as a whole in one call, beyond its targets.
 * - strike: rest the account (TIM 30540, GeWe frequency or risk control).
 * - rate_limited: slow the SDKAppID down (TIM 60007 and kin).
 * - disabled: the account may not add at all (TIM 30545): refuse its open targets, call no more.
 * - park: the account is offline, logged out or unknown to GeWe: wait until it is resumed.
 * - split: too many targets needing confirmation in one call (TIM 30517): use smaller calls.
 * - resign: the signature expired (TIM 70001): make a fresh one.
 * - suspend: our configuration is wrong (key, identifier, SDKAppID, token): suspend the
 *   credential for every worker until a probe call succeeds; no target ends.
 */
export type AccountEffect = 'strike' | 'rate_limited' | 'disabled' | 'park' | 'split' | 'resign' | 'suspend';

/** The classified answer of one call: every target sent appears exactly once in `targets`. */
export interface CallVerdict {
  targets: TargetVerdict[];
  effect?: AccountEffect;
  /** The provider's code and text for the call as a whole, for logs and effects. */
  callCode: ResultCode;
  callInfo: string;
  /** TIM's RequestId, for support. */
  providerRequestId?: string;
}
