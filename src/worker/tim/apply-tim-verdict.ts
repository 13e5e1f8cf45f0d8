import type { CallVerdict } from '../../domain/verdict.js';
import type { JobRef } from '../../queue/job-ref.js';
import type { CallRecords, JobSnapshot } from '../../queue/job-store.js';
import { retryDelayMs } from '../retry-policy.js';
import { callRecords } from '../settle-targets.js';
import type { TimProcessorDeps } from './tim-context.js';
import { HOUR } from '../../lib/time.js';

/** How long a 30545 (may not add) mark keeps an account's later jobs from calling. */
export const DISABLED_FOR_MS = HOUR;

/** TIM 30517: more than 100 targets need confirmation, so calls shrink to this many, then halve. */
export const CONFIRM_SPLIT_CHUNK = 100;

type JobFields = Record<string, number>;

/** A call's answer once its account-wide effect is dealt with: what to settle, and job fields to write. */
export interface AppliedEffect {
  verdict: CallVerdict;
  fields: JobFields;
}

/**
 * Acts on a call's account-wide effect (a strike, a disable, the rate, the credential). The
 * caller still holds the account: whoever takes it next finds the effect on record. `struck`:
 * the account had a run of strikes when taken (Lease.struck), which an answered call ends.
 */
export async function applyTimEffect(
  verdict: CallVerdict,
  snapshot: JobSnapshot,
  ref: JobRef,
  deps: TimProcessorDeps,
  struck: boolean,
): Promise<AppliedEffect> {
  const fields: JobFields = {};
  return { verdict: await applyEffect(verdict, snapshot, ref, { deps, fields, struck }), fields };
}

/** What the call leaves to record (its targets' finals and progress, job fields), and whether no target of it is left open. */
export function timCallRecords(applied: AppliedEffect, snapshot: JobSnapshot, deps: TimProcessorDeps): CallRecords & { allFinal: boolean } {
  const records = callRecords(applied.verdict, snapshot.attempts, applied.fields, deps.config);
  return { ...records, allFinal: records.progress.length === 0 };
}

/** Deals with the effect; returns the verdict to settle (a split that cannot shrink counts as tried). */
async function applyEffect(verdict: CallVerdict, snapshot: JobSnapshot, ref: JobRef, at: { deps: TimProcessorDeps; fields: JobFields; struck: boolean }) {
  const { deps, fields } = at;
  const log = deps.logger.child({ fromAccount: ref.account, code: verdict.callCode });
  // A recorded call ends a run of unexpected errors (error-budget.ts).
  if (snapshot.fields.has('errors')) fields.errors = 0;
  // Runs of re-signs and splits are bounded: any other answer ends them.
  if (verdict.effect !== 'resign' && snapshot.fields.has('resigns')) fields.resigns = 0;
  if (verdict.effect !== 'split' && snapshot.fields.has('splits')) fields.splits = 0;
  if (verdict.effect !== 'suspend' && typeof verdict.callCode === 'number') await deps.credential?.afterAnswer(undefined);
  switch (verdict.effect) {
    case 'suspend':
      await deps.credential?.suspend(verdict.callCode, verdict.callInfo);
      return verdict;
    case 'resign':
      await resign(snapshot, deps, fields, log);
      return verdict;
    case 'rate_limited': {
      const rate = await deps.gate.penalize(deps.config.tim.sdkAppId!);
      log.warn({ rate }, 'TIM refused for frequency: rate halved for all workers');
      return verdict;
    }
    case 'split':
      return split(verdict, snapshot, deps, fields, log);
    case 'strike': {
      const { strikes, restUntil, lockedUntil } = await deps.accounts.strike('tim', ref.account, deps.config.tim.strikeBackoffMs, 30540);
      const until = new Date(lockedUntil || restUntil).toISOString();
      if (lockedUntil) log.error({ strikes, lockedUntil: until }, 'security strikes in a row (30540): account locked out; its targets end failed');
      else log.warn({ strikes, restUntil: until }, 'security strike (30540): account rests');
      return verdict;
    }
    case 'disabled':
      await deps.accounts.disable('tim', ref.account, Date.now() + DISABLED_FOR_MS);
      log.warn('From_Account may not add friends (30545): its open targets are refused');
      return verdict;
    default:
      if (at.struck && verdict.targets.some((t) => t.answered)) await deps.accounts.clearStrikes('tim', ref.account);
      return verdict;
  }
}

/**
 * 70001: a fresh UserSig, after a growing pause. A signature that keeps expiring right after it
 * was made means this host's clock is off: our configuration, so the credential is suspended.
 */
async function resign(snapshot: JobSnapshot, deps: TimProcessorDeps, fields: JobFields, log: TimProcessorDeps['logger']) {
  deps.userSig?.invalidate();
  const resigns = Number(snapshot.fields.get('resigns') ?? 0) + 1;
  if (resigns >= deps.config.maxAttempts) {
    fields.resigns = 0;
    await deps.credential?.suspend(70001, `UserSig expired ${resigns} times in a row right after signing: check this host's clock`);
    return;
  }
  fields.resigns = resigns;
  fields.holdUntil = Date.now() + retryDelayMs(resigns, deps.config.retryBaseMs);
  log.warn({ resigns }, 'UserSig expired (70001): signing a fresh one');
}

/**
 * 30517: calls shrink to 100 targets, then halve on each repeat, after a growing pause. A call of
 * one target that still gets it cannot shrink: it counts as tried, so MAX_ATTEMPTS ends it.
 */
function split(verdict: CallVerdict, snapshot: JobSnapshot, deps: TimProcessorDeps, fields: JobFields, log: TimProcessorDeps['logger']): CallVerdict {
  const chunk = Math.min(Number(snapshot.fields.get('chunk') ?? 1000), verdict.targets.length);
  const splits = Number(snapshot.fields.get('splits') ?? 0) + 1;
  fields.splits = splits;
  if (chunk <= 1) {
    return { ...verdict, targets: verdict.targets.map((t) => ({ ...t, retryClass: 'transient', answered: true })) };
  }
  fields.chunk = chunk > CONFIRM_SPLIT_CHUNK ? CONFIRM_SPLIT_CHUNK : Math.floor(chunk / 2);
  if (splits > 1) fields.holdUntil = Date.now() + retryDelayMs(splits - 1, deps.config.retryBaseMs);
  log.info({ chunk: fields.chunk }, 'too many targets need confirmation (30517): smaller calls from now on');
  return verdict;
}
