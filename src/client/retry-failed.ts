import { createHash } from 'node:crypto';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { scriptBeside } from '../lib/lua-script.js';
import { dedupeTargets, type TimJob, type TimTarget } from '../providers/tim/schema.js';
import type { GeweJob } from '../providers/gewe/schema.js';
import { collectFailed, type FailedWork } from './collect-failed.js';
import { inputError, UnknownRequestError } from './errors.js';
import { cutIntoJobs } from './prepare-tim.js';
import type { PreparedRequest } from './prepared-request.js';
import { contentHash } from './request-identity.js';
import { submitRequest, type SubmitDeps, type SubmitResult } from './submit-request.js';

const retryIdScript = scriptBeside(import.meta.url, 'retry-id.lua');

/** The schema's limit on a requestId's length. */
const REQUEST_ID_MAX = 200;

/** No target of the request has failed (yet): nothing was submitted. */
export interface NothingToRetry {
  requestId: null;
  jobs: 0;
  targets: 0;
}

export type RetryResult = SubmitResult | NothingToRetry;

export interface RetryDeps extends SubmitDeps {
  redis: RedisClient;
  keys: Keys;
}

/**
 * Re-drives a request's `failed` targets as a new request `<requestId>-retry-<n>`, rebuilt from
 * the original jobs' data (TIM targets keep addSource, remark...; GeWe items keep v4, scene...).
 * Asking again while the failed set is the same returns the same retry request and adds nothing.
 */
export async function retryFailed(deps: RetryDeps, requestId: string): Promise<RetryResult> {
  const { redis, keys } = deps;
  const [[, exists], [, started]] = (await redis.multi().exists(keys.request(requestId)).hgetall(keys.requestJobs(requestId)).exec()) as [
    [unknown, number],
    [unknown, Record<string, string>],
  ];
  if (exists === 0) throw new UnknownRequestError(requestId);
  const work = await collectFailed(redis, deps.input, started);
  if (work.tim.length > 0 && work.gewe.length > 0) {
    throw inputError(['requestId'], 'this request mixes tim and gewe jobs: its failed targets cannot be one request');
  }
  if (work.tim.length === 0 && work.gewe.length === 0) return { requestId: null, jobs: 0, targets: 0 };
  const draft = rebuild(work, requestId);
  const retryId = (await retryIdScript.run(redis, [keys.request(requestId)], [contentHash(draft), retryPrefix(requestId)])) as string;
  return submitRequest(deps, rebuild(work, retryId));
}

function rebuild(work: FailedWork, requestId: string): PreparedRequest {
  if (work.gewe.length > 0) {
    return { provider: 'gewe', requestId, jobs: work.gewe.map((j): GeweJob => ({ ...j, requestId })), targets: work.gewe.length };
  }
  const byAccount = new Map<string, { account: Omit<TimJob, 'targets'>; targets: TimTarget[] }>();
  for (const { targets, requestId: _original, ...account } of work.tim) {
    const key = JSON.stringify(account);
    const group = byAccount.get(key) ?? { account, targets: [] as TimTarget[] };
    group.targets.push(...targets);
    byAccount.set(key, group);
  }
  const groups = [...byAccount.values()].map((g) => ({ ...g, targets: dedupeTargets(g.targets) }));
  const jobs = groups.flatMap((g) => cutIntoJobs(g.account, g.targets, requestId));
  return { provider: 'tim', requestId, jobs, targets: groups.reduce((n, g) => n + g.targets.length, 0) };
}

/** `<requestId>-retry-`; a requestId too long for that is replaced by its hash. */
function retryPrefix(requestId: string): string {
  const plain = `${requestId}-retry-`;
  if (plain.length + 10 <= REQUEST_ID_MAX) return plain;
  return `${createHash('sha1').update(requestId).digest('hex').slice(0, 16)}-retry-`;
}
