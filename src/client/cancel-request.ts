import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { scriptBeside } from '../lib/lua-script.js';
import type { JobWaker } from '../queue/job-waker.js';
import { UnknownRequestError } from './errors.js';
import { requestJobIds } from './request-identity.js';

const cancelScript = scriptBeside(import.meta.url, 'cancel-request.lua');

/** Jobs woken at once: a request of many GeWe items must not open thousands of calls together. */
const WAKE_BATCH = 100;

export interface CancelResult {
  requestId: string;
  /** Delayed jobs woken so that they end their targets `cancelled` now, not at their next turn. */
  woken: number;
}

export interface CancelDeps {
  redis: RedisClient;
  keys: Keys;
  waker: JobWaker;
}

/**
 * Cancels a request: workers end its targets not yet called `cancelled` (calls in flight finish
 * normally). Its jobs waiting delayed (for a paused account, a retry, a pacing slot) are woken so
 * they end promptly. Throws UnknownRequestError for a request Redis does not know.
 */
export async function cancelRequest(deps: CancelDeps, requestId: string): Promise<CancelResult> {
  const reply = (await cancelScript.run(deps.redis, [deps.keys.request(requestId)], [])) as [string | null, string | null] | null;
  if (!reply) throw new UnknownRequestError(requestId);
  const [jobIdStem, jobs] = reply;
  const started = await deps.redis.hkeys(deps.keys.requestJobs(requestId));
  const library: Record<string, string> = jobIdStem ? { jobIdStem, jobs: jobs ?? '0' } : {};
  const ids = requestJobIds(library, started);
  let woken = 0;
  for (let start = 0; start < ids.length; start += WAKE_BATCH) {
    const batch = await Promise.all(ids.slice(start, start + WAKE_BATCH).map((id) => deps.waker.wake(id)));
    woken += batch.filter(Boolean).length;
  }
  return { requestId, woken };
}
