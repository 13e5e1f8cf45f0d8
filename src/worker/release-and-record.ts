import { LOCK_RELEASE_LUA, type Lease, type NextWaiter } from '../accounts/account-lock.js';
import { composedScript, type LuaScript } from '../lib/lua-script.js';
import type { JobRef } from '../queue/job-ref.js';
import { RECORD_RESULTS_LUA, type CallRecords, type JobStore } from '../queue/job-store.js';

const releaseAndRecord = composedScript(import.meta.url, 'release-and-record.lua', { release: LOCK_RELEASE_LUA, record: RECORD_RESULTS_LUA });

/**
 * A step that a call's end takes before it lets the account go, in the same script: `script`
 * composes it, lock-release.lua and record-results.lua (as gewe-call-end.lua does), and takes its
 * keys and arguments ahead of lock-release.lua's.
 */
export interface EndOpening {
  script: LuaScript;
  keys: readonly string[];
  args: readonly string[];
  /** The step on its own, for when the script did not run. */
  alone(): Promise<unknown>;
}

/**
 * Lets the call's account go and records what the call taught, in one round trip
 * (release-and-record.lua, or `opening`'s script with its step first), and tells `onReleased` the
 * account's first waiter as soon as it is known, even when the record is refused. Should the
 * script not run at all, the opening's step and the release are made on their own (lock-release.lua
 * gives back only what is still ours, and names the waiter anyway). Resolves the finals newly recorded.
 */
export async function releaseAndRecordCall(
  store: JobStore,
  ref: JobRef,
  records: CallRecords,
  lease: Lease,
  onReleased: (next: NextWaiter | undefined) => void,
  opening?: EndOpening,
): Promise<number> {
  const step = lease.releaseStep();
  const before = opening ? { keys: [...opening.keys, ...step.keys], args: [...opening.args, ...step.args] } : step;
  let told = false;
  const tell = (next: NextWaiter | undefined) => {
    told = true;
    onReleased(next);
  };
  try {
    return await store.recordAfter(ref, records, opening?.script ?? releaseAndRecord, before, (reply) => tell(step.nextWaiter(reply)));
  } catch (err) {
    if (!told) {
      await opening?.alone().catch(() => undefined);
      tell(await lease.release().catch(() => undefined));
    }
    throw err;
  }
}
