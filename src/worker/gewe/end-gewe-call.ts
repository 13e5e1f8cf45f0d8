import { LOCK_RELEASE_LUA, type Lease, type NextWaiter } from '../../accounts/account-lock.js';
import { composedScript } from '../../lib/lua-script.js';
import { GEWE_FINISHED_LUA } from '../../pacing/gewe-pacer.js';
import type { CallKind } from '../../pacing/pace-lanes.js';
import type { JobRef } from '../../queue/job-ref.js';
import { RECORD_RESULTS_LUA, type CallRecords } from '../../queue/job-store.js';
import { releaseAndRecordCall } from '../release-and-record.js';
import type { GeweProcessorDeps } from './gewe-context.js';

const geweCallEnd = composedScript(import.meta.url, 'gewe-call-end.lua', {
  finished: GEWE_FINISHED_LUA,
  release: LOCK_RELEASE_LUA,
  record: RECORD_RESULTS_LUA,
});

/**
 * Ends an answered GeWe call in one round trip (gewe-call-end.lua): the lane's next send spaced
 * from now (GewePacer.finished), the account let go, the target recorded. Should the script not
 * run, the first two are made on their own. Resolves the finals newly recorded.
 */
export function endGeweCall(
  ref: JobRef,
  kind: CallKind,
  records: CallRecords,
  lease: Lease,
  deps: Pick<GeweProcessorDeps, 'pacer' | 'store'>,
  onReleased: (next: NextWaiter | undefined) => void,
): Promise<number> {
  const finished = deps.pacer.finishedStep(ref.account, kind);
  const opening = { script: geweCallEnd, ...finished, alone: () => deps.pacer.finished(ref.account, kind) };
  return releaseAndRecordCall(deps.store, ref, records, lease, onReleased, opening);
}
