import type { Job } from 'bullmq';
import { parseGeweJob, type GeweJob } from '../../providers/gewe/schema.js';
import { jobRefOf, type JobRef } from '../../queue/job-ref.js';
import { waitForAccount, waitForCredential } from '../wait-for-account.js';
import { LostJobError, type JobSnapshot, type JobStart } from '../../queue/job-store.js';
import { MovedToDelayed } from '../../queue/delaying-worker.js';
import type { AccountState } from '../../accounts/account-state.js';
import { rejectInvalidJob } from '../reject-invalid-job.js';
import { runJob } from '../run-job.js';
import { finalsFor } from '../settle-targets.js';
import { Wait } from '../wait.js';
import type { JobSummary } from '../tim/tim-processor.js';
import { showProgress } from '../show-progress.js';
import { pacedGeweCall } from './gewe-call.js';
import { startGewePass } from './gewe-start.js';
import { SLOT_WAIT } from './gewe-pace.js';
import { stackless } from '../../lib/stackless.js';
import type { Reservation } from '../../pacing/gewe-pacer.js';
import type { GeweProcessorDeps } from './gewe-context.js';
import { createErrorBudget, type JobTargets } from '../error-budget.js';
import { lockoutInfo } from '../lockout-info.js';

/**
 * Processes one `gewe` job: one addContacts call for one v3, paced per account. The job waits
 * delayed in Redis for its account's slot, its daily cap, its active hours, a strike's rest or
 * an operator's resume; it holds a worker slot only for the call itself.
 */
export function createGeweProcessor(deps: GeweProcessorDeps) {
  const budget = createErrorBudget('gewe', deps, geweTargetsOf);
  return (job: Job, token?: string): Promise<JobSummary> =>
    runJob(job, token, { ...deps, budget }, async () => {
      const parsed = parseGeweJob(job.data);
      const names = parsed.ok ? { requestId: parsed.job.requestId, account: parsed.job.appId } : parsed;
      const ref = jobRefOf(job, 'gewe', names, token);
      if (!parsed.ok) return rejectInvalidJob(ref, parsed, deps.store, deps.publisher);
      if (!deps.provider) {
        const invalid = { field: 'appId', message: 'GeWe is not configured (GEWE_TOKEN)', knownTargets: [parsed.job.v3] };
        return rejectInvalidJob(ref, invalid, deps.store, deps.publisher);
      }
      const move = token === undefined ? undefined : deps.delaySteps?.(job, token);
      const { start, reserved, moved } = await startGewePass(parsed.job, ref, deps, move);
      if (moved !== undefined) throw movedToItsSlot(job, moved, reserved!, deps);
      // A killed run may have left results in the outbox.
      if (start.unpublished) await deps.publisher.flush(ref);
      await workUntilFinal(job, parsed.job, ref, { ...start, reserved }, deps);
      return { requestId: ref.requestId, targets: 1 };
    });
}

/**
 * The pass's first step moved the job to delayed until its slot (gewe-start.lua): its wait is
 * told, and the worker takes the next job that the step fetched. A move BullMQ refused (the job's
 * lock lost, the job gone or no longer active) leaves the job to whoever holds it now.
 */
function movedToItsSlot(job: Job, moved: unknown, reserved: Reservation, deps: GeweProcessorDeps): Error {
  if (typeof moved === 'number' && moved < 0)
    return new LostJobError(`job ${job.id} could not be delayed until its slot: BullMQ's moveToDelayed answered ${moved}`);
  const wait = new Wait(reserved.slot, SLOT_WAIT);
  deps.waits.note(job, wait);
  return stackless(() => new MovedToDelayed(moved, wait.message));
}

/** The job's one target, for ending it after too many unexpected errors. */
function geweTargetsOf(job: Job, token: string | undefined): JobTargets | undefined {
  const parsed = parseGeweJob(job.data);
  if (!parsed.ok) return undefined;
  return { ref: jobRefOf(job, 'gewe', { requestId: parsed.job.requestId, account: parsed.job.appId }, token), targets: [parsed.job.v3] };
}

/**
 * `start`: the job's and its account's state as init read them (publishing the outbox leaves
 * them as they were), and the slot reserved with them if one was, for the first turn; later
 * turns read them again.
 */
async function workUntilFinal(job: Job, data: GeweJob, ref: JobRef, start: JobStart & { reserved?: Reservation }, deps: GeweProcessorDeps): Promise<void> {
  for (let turn = 0; ; turn += 1) {
    const snapshot = turn === 0 ? start.snapshot : await deps.store.load(ref);
    await showProgress(job, snapshot.finals.size, 1);
    if (snapshot.finals.has(data.v3)) return;
    const account = turn === 0 ? start.account : undefined;
    const reserved = turn === 0 ? start.reserved : undefined;
    const final = (await settleByState(data, ref, snapshot, account, deps)) || (await pacedGeweCall(data, ref, snapshot, deps, reserved));
    await deps.publisher.flush(ref);
    // The target's result is recorded: done, without reading the state back.
    if (final) return showProgress(job, 1, 1);
    if (deps.isClosing()) throw new Wait(Date.now(), 'worker shutting down: handed back');
  }
}

/**
 * Cancelled, an add that may be out, or a locked-out account: final. Paused, parked, resting or
 * suspended: wait. `known`: the account's state, when this turn has it already.
 */
async function settleByState(data: GeweJob, ref: JobRef, snapshot: JobSnapshot, known: AccountState | undefined, deps: GeweProcessorDeps) {
  const record = (outcome: 'cancelled' | 'failed', code: number | string, info: string) =>
    deps.store.record(ref, finalsFor([data.v3], outcome, code, info, snapshot.attempts)).then(() => true);
  if (snapshot.cancelled) return record('cancelled', 'cancelled', 'request cancelled before this target was called');
  if (snapshot.fields.get('inFlight') === '1' && data.option === 2) {
    return record('failed', 'unconfirmed', 'the worker stopped while this add was in flight: it may have reached GeWe, so it is not sent again');
  }
  const account = known ?? (await deps.accounts.read('gewe', ref.account));
  const now = Date.now();
  if (account.lockedUntil > now) return record('failed', account.strikeCode ?? 'strike', lockoutInfo(account));
  await waitForAccount(ref, account, deps, now);
  await waitForCredential(deps.credential);
  return false;
}
