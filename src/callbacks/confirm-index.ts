import type { ProviderName, TargetResult } from '../domain/types.js';
import { CallbackKeys } from './callback-keys.js';

/** What a confirmable result keeps in the index: enough to name it in its `confirmed` event. */
export interface ConfirmRef {
  outcome: TargetResult['outcome'];
  code: TargetResult['code'];
  finishedAt: string;
}

/**
 * A result a provider's callback can still confirm: a request that waits for the other side
 * (`requested`: TIM 30539, a GeWe add) or an add that may have reached GeWe (`unconfirmed`).
 */
export function isConfirmable(result: Pick<TargetResult, 'outcome' | 'code'>): boolean {
  return result.outcome === 'requested' || result.code === 'unconfirmed';
}

/**
 * The argument record-results.lua takes to index a batch's confirmable finals; '' when there is
 * none, so the script does no extra work for batches without them.
 */
export function confirmIndexArg(prefix: string, ref: { requestId: string; provider: ProviderName; account: string }, finals: readonly TargetResult[]): string {
  const refs: Record<string, string> = {};
  let any = false;
  for (const r of finals) {
    if (!isConfirmable(r)) continue;
    const kept: ConfirmRef = { outcome: r.outcome, code: r.code, finishedAt: r.finishedAt };
    refs[r.target] = JSON.stringify(kept);
    any = true;
  }
  if (!any) return '';
  const keys = new CallbackKeys(prefix);
  return JSON.stringify({
    stem: keys.pendingStem(ref.provider, ref.account),
    outbox: keys.outbox(),
    requestId: ref.requestId,
    provider: ref.provider,
    account: ref.account,
    refs,
  });
}
