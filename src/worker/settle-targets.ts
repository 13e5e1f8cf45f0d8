import type { CallVerdict, TargetVerdict } from '../domain/verdict.js';
import type { Outcome, ResultCode, TargetResult } from '../domain/types.js';
import type { CallRecords, Progress } from '../queue/job-store.js';
import { retryDelayMs } from './retry-policy.js';

export interface Settlement {
  finals: TargetResult[];
  progress: Progress[];
  /** Highest attempt count among targets left open by a transient answer (0: none). */
  retryAttempt: number;
}

/**
 * Turns one call's verdict into final results and progress. A transient answer uses up an
 * attempt; at `maxAttempts` the target ends `failed` with the last code. Rate-limited and struck
 * targets stay open without using one.
 */
export function settleTargets(verdict: CallVerdict, attemptsBefore: ReadonlyMap<string, number>, maxAttempts: number, finishedAt: string): Settlement {
  const settlement: Settlement = { finals: [], progress: [], retryAttempt: 0 };
  for (const item of verdict.targets) {
    const attempts = (attemptsBefore.get(item.target) ?? 0) + (item.answered ? 1 : 0);
    if (item.retryClass === 'final') {
      settlement.finals.push(result(item, item.outcome ?? 'failed', attempts, finishedAt, verdict.providerRequestId));
    } else if (item.retryClass === 'transient' && attempts >= maxAttempts) {
      settlement.finals.push(result(item, 'failed', attempts, finishedAt, verdict.providerRequestId));
    } else {
      const last = { code: item.code, info: item.info, providerRequestId: verdict.providerRequestId };
      settlement.progress.push({ target: item.target, attempts, last });
      if (item.retryClass === 'transient') settlement.retryAttempt = Math.max(settlement.retryAttempt, attempts);
    }
  }
  return settlement;
}

/**
 * What a call leaves to record: its verdict settled (settleTargets), and, when a target is to be
 * tried again, the job's `retryAt` set in `fields` (the fields the call writes besides).
 */
export function callRecords(
  verdict: CallVerdict,
  attemptsBefore: ReadonlyMap<string, number>,
  fields: Record<string, string | number>,
  retry: { maxAttempts: number; retryBaseMs: number },
): CallRecords {
  const now = Date.now();
  const settlement = settleTargets(verdict, attemptsBefore, retry.maxAttempts, new Date(now).toISOString());
  if (settlement.retryAttempt > 0) fields.retryAt = now + retryDelayMs(settlement.retryAttempt, retry.retryBaseMs);
  return { finals: settlement.finals, progress: settlement.progress, fields };
}

/** The same final result for every target named: cancelled, refused, failed by the account's state. */
export function finalsFor(
  targets: readonly string[],
  outcome: Outcome,
  code: ResultCode,
  info: string,
  attemptsBefore: ReadonlyMap<string, number>,
): TargetResult[] {
  const finishedAt = new Date().toISOString();
  return targets.map((target) => ({ target, outcome, code, info, attempts: attemptsBefore.get(target) ?? 0, finishedAt }));
}

function result(item: TargetVerdict, outcome: Outcome, attempts: number, finishedAt: string, providerRequestId?: string): TargetResult {
  // Built in one literal: a spread per result showed in profiles (1000 results per call).
  if (!providerRequestId) return { target: item.target, outcome, code: item.code, info: item.info, attempts, finishedAt };
  return { target: item.target, outcome, code: item.code, info: item.info, attempts, finishedAt, providerRequestId };
}
