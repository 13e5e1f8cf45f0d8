import { LOCK_RELEASE_LUA, type Lease, type NextWaiter } from '../accounts/account-lock.js';
import { composedScript } from '../lib/lua-script.js';
import type { JobRef } from '../queue/job-ref.js';
import { RECORD_RESULTS_LUA, type CallRecords, type JobStore } from '../queue/job-store.js';

const releaseAndRecord = composedScript(import.meta.url, 'release-and-record.lua', { release: LOCK_RELEASE_LUA, record: RECORD_RESULTS_LUA });

/**
 * Lets the call's account go and records what the call taught, in one round trip
 * (release-and-record.lua), and tells `onReleased` the account's first waiter as soon as it is
 * known, even when the record is refused. Should the script not run at all, the lease is released
 * on its own (lock-release.lua gives back only what is still ours, and names the waiter anyway).
 * Resolves the finals newly recorded.
 */
export async function releaseAndRecordCall(
  store: JobStore,
  ref: JobRef,
  records: CallRecords,
  lease: Lease,
  onReleased: (next: NextWaiter | undefined) => void,
): Promise<number> {
  const step = lease.releaseStep();
  let told = false;
  const tell = (next: NextWaiter | undefined) => {
    told = true;
    onReleased(next);
  };
  try {
    return await store.recordAfter(ref, records, releaseAndRecord, step, (reply) => tell(step.nextWaiter(reply)));
  } catch (err) {
    if (!told) tell(await lease.release().catch(() => undefined));
    throw err;
  }
}
