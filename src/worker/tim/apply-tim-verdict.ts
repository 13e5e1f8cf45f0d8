import type { CallVerdict } from '../../domain/verdict.js';
import type { JobRef } from '../../queue/job-ref.js';
import type { JobSnapshot } from '../../queue/job-store.js';
import { retryDelayMs } from '../retry-policy.js';
import { settleTargets } from '../settle-targets.js';
import type { TimProcessorDeps } from './tim-context.js';
import { HOUR } from '../../lib/time.js';

/** How long a 30545 (may not add) mark keeps an account's later jobs from calling. */
export const DISABLED_FOR_MS = HOUR;

/** TIM 30517: more than 100 targets need confirmation, so calls shrink to this many. */
export const CONFIRM_SPLIT_CHUNK = 100;

/**
 * Acts on a call's account-wide effect, then records its targets' finals and progress. Resolves
 * true when no target of the call is left open.
 */
export async function applyTimVerdict(
  verdict: CallVerdict,
  snapshot: JobSnapshot,
  ref: JobRef,
  deps: TimProcessorDeps,
): Promise<boolean> {
  const fields: Record<string, number> = {};
  await applyEffect(verdict, ref, deps, fields);
  const now = Date.now();
  const settlement = settleTargets(verdict, snapshot.attempts, deps.config.maxAttempts, new Date(now).toISOString());
  if (settlement.retryAttempt > 0) {
    fields.retryAt = now + retryDelayMs(settlement.retryAttempt, deps.config.retryBaseMs);
  }
  await deps.store.record(ref, settlement.finals, settlement.progress, fields);
  return settlement.progress.length === 0;
}

async function applyEffect(verdict: CallVerdict, ref: JobRef, deps: TimProcessorDeps, fields: Record<string, number>) {
  const log = deps.logger.child({ fromAccount: ref.account, code: verdict.callCode });
  switch (verdict.effect) {
    case 'resign':
      deps.userSig?.invalidate();
      log.warn('UserSig expired (70001): signing a fresh one');
      return;
    case 'rate_limited': {
      const rate = await deps.gate.penalize(deps.config.tim.sdkAppId!);
      log.warn({ rate }, 'TIM refused for frequency: rate halved for all workers');
      return;
    }
    case 'split':
      fields.chunk = CONFIRM_SPLIT_CHUNK;
      log.info('over 100 targets need confirmation (30517): calls of at most 100 from now on');
      return;
    case 'strike': {
      const { strikes, restUntil } = await deps.accounts.strike('tim', ref.account, deps.config.tim.strikeBackoffMs, 30540);
      log.warn({ strikes, restUntil: new Date(restUntil).toISOString() }, 'security strike (30540): account rests');
      return;
    }
    case 'disabled':
      await deps.accounts.disable('tim', ref.account, Date.now() + DISABLED_FOR_MS);
      log.warn('From_Account may not add friends (30545): its open targets are refused');
      return;
    default:
      if (verdict.targets.some((t) => t.answered)) await deps.accounts.clearStrikes('tim', ref.account);
  }
}
