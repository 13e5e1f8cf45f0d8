import type { CallVerdict } from '../../domain/verdict.js';
import type { JobRef } from '../../queue/job-ref.js';
import type { CallRecords, JobSnapshot } from '../../queue/job-store.js';
import { callRecords } from '../settle-targets.js';
import type { GeweProcessorDeps } from './gewe-context.js';

/**
 * What one addContacts answer records for its target (end-gewe-call.ts writes it, once its effect
 * is dealt with by applyGeweEffect while the account is still held). `final`: the target's
 * result is among them; otherwise it is to be tried again.
 */
export function geweCallRecords(verdict: CallVerdict, snapshot: JobSnapshot, deps: GeweProcessorDeps): CallRecords & { final: boolean } {
  const fields: Record<string, number> = { inFlight: 0 };
  // A recorded call ends a run of unexpected errors (error-budget.ts).
  if (snapshot.fields.has('errors')) fields.errors = 0;
  const records = callRecords(verdict, snapshot.attempts, fields, deps.config);
  return { ...records, final: records.finals.length > 0 };
}

/**
 * What the answer does beyond its target: to our credential, or to the account as a whole. The
 * caller still holds the account: whoever takes it next finds a strike or a park on record.
 * `struck`: the account had a run of strikes when taken (Lease.struck), which an answer ends.
 */
export async function applyGeweEffect(verdict: CallVerdict, ref: JobRef, deps: GeweProcessorDeps, struck: boolean) {
  const log = deps.logger.child({ appId: ref.account, code: verdict.callCode, info: verdict.callInfo });
  // Any answer of GeWe's own (a numeric ret) shows the token works: it lifts a suspension.
  if (verdict.effect !== 'suspend' && typeof verdict.callCode === 'number') await deps.credential?.afterAnswer(undefined);
  if (verdict.effect === 'suspend') {
    await deps.credential?.suspend(verdict.callCode, verdict.callInfo);
  } else if (verdict.effect === 'strike') {
    const { strikes, restUntil, lockedUntil } = await deps.accounts.strike('gewe', ref.account, deps.config.gewe.strikeBackoffMs, verdict.callCode);
    const until = new Date(lockedUntil || restUntil).toISOString();
    if (lockedUntil) log.error({ strikes, lockedUntil: until }, 'GeWe frequency or risk control in a row: account locked out; its targets end failed');
    else log.warn({ strikes, restUntil: until }, 'GeWe frequency or risk control: account rests');
  } else if (verdict.effect === 'park') {
    await deps.accounts.park('gewe', ref.account, verdict.callInfo);
    log.warn('GeWe account offline or logged out: parked until resumed');
  } else if (struck && verdict.targets.some((t) => t.answered)) {
    await deps.accounts.clearStrikes('gewe', ref.account);
  }
}
