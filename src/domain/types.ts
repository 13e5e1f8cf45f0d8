/**
 * The vocabulary.
 * - request: what a producer submits, named by requestId; one or more jobs.
 * - job: one BullMQ job on `friend-add` (job name `tim` or `gewe`); one From_Account or appId.
 * - target: one person to add: a TIM To_Account, or a GeWe v3.
 * - call: one HTTP call to a provider, carrying one or more targets (TIM: at most 1000).
 * - attempt: a call that answered for a target. Calls refused whole (frequency, strike) do not count.
 * - result: the one final entry a target gets on `friend-add-results`.
 */

export type ProviderName = 'tim' | 'gewe';

export const OUTCOMES = ['added', 'requested', 'declined', 'already_friends', 'refused', 'failed', 'cancelled'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * What to do after an answer.
 * - transient: call this target again later, using up an attempt.
 * - rate_limited: the provider refused the whole call for frequency; call again, no attempt used.
 * - strike: the account is being punished; rest it, then call again, no attempt used.
 * - final: the target has its result.
 */
export type RetryClass = 'transient' | 'rate_limited' | 'strike' | 'final';

/** A provider's code, or our own string naming what happened (`timeout`, `network`, `http_502`...). */
export type ResultCode = number | string;

/** One target's final entry, as the contract shows it. */
export interface TargetResult {
  target: string;
  outcome: Outcome;
  code: ResultCode;
  info: string;
  attempts: number;
  finishedAt: string;
  /** TIM's RequestId of the call that gave this answer, for support (an addition to the v1 shape). */
  providerRequestId?: string;
}

/** The data of one job on `friend-add-results`. */
export interface ResultBatch {
  requestId: string;
  provider: ProviderName;
  account: string;
  results: TargetResult[];
}
