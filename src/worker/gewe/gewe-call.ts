import { performance } from 'node:perf_hooks';
import type { GeweJob } from '../../providers/gewe/schema.js';
import { callProvider } from '../../providers/provider.js';
import type { CallVerdict } from '../../domain/verdict.js';
import type { JobRef } from '../../queue/job-ref.js';
import type { JobSnapshot } from '../../queue/job-store.js';
import { retryDelayMs } from '../retry-policy.js';
import { settleTargets } from '../settle-targets.js';
import { Wait } from '../wait.js';
import type { GeweProcessorDeps } from './gewe-context.js';
import { awaitSlot, beginSend, paceFor } from './gewe-pace.js';
import { crashPoint } from '../../lib/crash-point.js';

/** How soon a job whose slot came while its account was busy looks again. */
const BUSY_RETRY_MS = 100;

/**
 * One paced addContacts call: hold the appId (one call in flight), wait for its turn, send,
 * record. A retry is a call too: it takes a new turn, after its backoff.
 */
export async function pacedGeweCall(data: GeweJob, ref: JobRef, snapshot: JobSnapshot, deps: GeweProcessorDeps) {
  const provider = deps.provider!;
  const pace = await paceFor(data, deps);
  const retryAt = Number(snapshot.fields.get('retryAt') ?? 0);
  await awaitSlot(data, ref, pace, retryAt, deps);
  const lease = await deps.locks.acquire('gewe', ref.account, ref.stateId);
  // Only a slow call of the same account holds it at our slot: look again soon.
  if ('rank' in lease) throw new Wait(Date.now() + BUSY_RETRY_MS, 'account busy');
  let verdict: CallVerdict;
  let latencyMs: number;
  try {
    await beginSend(data, ref, pace, deps);
    // Marks the add as possibly sent: a worker killed before recording the answer must not
    // send it again (a second request could reach the person).
    await deps.store.markInFlight(ref);
    const prepared = provider.prepare(data);
    const started = performance.now();
    verdict = await callProvider(provider, prepared);
    latencyMs = performance.now() - started;
    await deps.pacer.finished(data.appId);
    crashPoint(deps.config.crashAt, 'after-answer');
  } finally {
    await lease.release();
  }
  deps.observer.call('gewe', verdict, latencyMs);
  deps.logger.info(
    { appId: ref.account, option: data.option, latencyMs: Math.round(latencyMs), code: verdict.callCode, info: verdict.callInfo },
    'gewe addContacts call',
  );
  await applyGeweVerdict(verdict, snapshot, ref, deps);
}

async function applyGeweVerdict(verdict: CallVerdict, snapshot: JobSnapshot, ref: JobRef, deps: GeweProcessorDeps) {
  const log = deps.logger.child({ appId: ref.account, code: verdict.callCode, info: verdict.callInfo });
  if (verdict.effect === 'strike') {
    const { strikes, restUntil } = await deps.accounts.strike('gewe', ref.account, deps.config.gewe.strikeBackoffMs, verdict.callCode);
    log.warn({ strikes, restUntil: new Date(restUntil).toISOString() }, 'GeWe frequency or risk control: account rests');
  } else if (verdict.effect === 'park') {
    await deps.accounts.park('gewe', ref.account, verdict.callInfo);
    log.warn('GeWe account offline or its ticket invalid: parked until resumed');
  } else if (verdict.targets.some((t) => t.answered)) {
    await deps.accounts.clearStrikes('gewe', ref.account);
  }
  const now = Date.now();
  const settlement = settleTargets(verdict, snapshot.attempts, deps.config.maxAttempts, new Date(now).toISOString());
  const fields: Record<string, number> = { inFlight: 0 };
  if (settlement.retryAttempt > 0) fields.retryAt = now + retryDelayMs(settlement.retryAttempt, deps.config.retryBaseMs);
  await deps.store.record(ref, settlement.finals, settlement.progress, fields);
}
