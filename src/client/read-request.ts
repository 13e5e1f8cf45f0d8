import { Job, type Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { OUTCOMES, type Outcome, type ProviderName, type TargetResult } from '../domain/types.js';
import { readPendingTargets, type PendingTarget } from './pending-targets.js';
import { requestJobIds } from './request-identity.js';
import { readResultPage, type ResultPage } from '../queue/request-results.js';

/** Which results to return: `offset` into the request's results (in the order recorded), at most `limit` (≤ 1000). */
export interface RequestPage {
  /** Default 0. */
  offset?: number;
  /** Default 100, at most 1000; also caps `pending`. */
  limit?: number;
}

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

/** A request's status as Redis holds it: kept up to date by the workers as results are written. */
export interface RequestStatus {
  requestId: string;
  provider?: ProviderName;
  /** Distinct targets counted into the request so far (all of them for a library submit). */
  total: number;
  /** Targets without a final result yet. */
  open: number;
  jobs: number;
  /** Final results by outcome, every outcome named (0 when none). */
  totals: Record<Outcome, number>;
  /**
   * Targets whose `requested` (or `unconfirmed`) result a provider's callback has since confirmed:
   * they are friends now. Counted beside the totals, which keep each target's one result.
   */
  confirmed: number;
  cancelled: boolean;
  /** Library submits: every job is on the queue. */
  submitted: boolean;
  createdAt?: string;
  /** How many results the request has; page through them with offset and limit. */
  resultCount: number;
  offset: number;
  limit: number;
  results: TargetResult[];
  /** Open targets that have been called: attempts and last answer (at most `limit`). */
  pending: PendingTarget[];
}

export interface ReadRequestDeps {
  redis: RedisClient;
  keys: Keys;
  input: Queue;
}

/** The status of a request; null when Redis knows nothing of it. */
export async function readRequest(deps: ReadRequestDeps, requestId: string, page: RequestPage = {}): Promise<RequestStatus | null> {
  const offset = Math.max(0, Math.trunc(page.offset ?? 0));
  const limit = Math.min(MAX_PAGE_LIMIT, Math.max(1, Math.trunc(page.limit ?? DEFAULT_PAGE_LIMIT)));
  const { keys, redis } = deps;
  const [[[, hash], [, jobs]], stored] = (await Promise.all([
    redis.multi().hgetall(keys.request(requestId)).hgetall(keys.requestJobs(requestId)).exec(),
    readResultPage(redis, keys, requestId, offset, limit),
  ])) as [[[unknown, Record<string, string>], [unknown, Record<string, string>]], ResultPage];
  if (Object.keys(hash).length === 0) return null;
  const stateKeys = requestJobIds({}, Object.keys(jobs)).map((id) => jobs[id]!);
  const totals = Object.fromEntries(OUTCOMES.map((o) => [o, Number(hash[`o:${o}`] ?? 0)])) as Record<Outcome, number>;
  return {
    requestId,
    provider: (hash.provider as ProviderName | undefined) ?? (await providerOfJob(deps.input, Object.keys(jobs)[0])),
    total: Number(hash.total ?? 0),
    open: Number(hash.open ?? 0),
    jobs: Number(hash.jobs ?? 0),
    totals,
    confirmed: Number(hash.confirmed ?? 0),
    cancelled: hash.cancelled === '1',
    submitted: hash.submitted === '1',
    createdAt: hash.createdAt,
    resultCount: stored.count,
    offset,
    limit,
    results: stored.results,
    pending: await readPendingTargets(redis, stateKeys, limit),
  };
}

/** Requests added directly to the queue have no `provider` field: their jobs' name says it. */
async function providerOfJob(input: Queue, jobId: string | undefined): Promise<ProviderName | undefined> {
  if (jobId === undefined) return undefined;
  const job = await Job.fromId(input, jobId).catch(() => undefined);
  return job?.name === 'tim' || job?.name === 'gewe' ? job.name : undefined;
}
