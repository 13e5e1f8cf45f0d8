import { createHash } from 'node:crypto';
import type { ProviderName } from '../domain/types.js';
import type { PreparedRequest } from './prepared-request.js';

/**
 * The stem of a request's job ids: `<provider>-<first 16 hex of sha1(requestId)>`. Job `i` is
 * `<stem>-<i>`. Deterministic, so a submit repeated after a crash re-adds the same ids and BullMQ
 * ignores those it already has. BullMQ ids may not contain `:` nor be all digits; these never do.
 */
export function jobIdStem(provider: ProviderName, requestId: string): string {
  return `${provider}-${createHash('sha1').update(requestId).digest('hex').slice(0, 16)}`;
}

export function jobIdAt(stem: string, index: number): string {
  return `${stem}-${index}`;
}

/** Every job id of a request submitted through the library, from what its hash remembers. */
export function jobIdsOf(stem: string, jobs: number): string[] {
  return Array.from({ length: jobs }, (_, i) => jobIdAt(stem, i));
}

/**
 * What a request asks for, as a hash of its validated, de-duplicated job data (the job option
 * `priority` is not part of it). The same requestId with another content hash is a conflict.
 */
export function contentHash(prepared: PreparedRequest): string {
  const hash = createHash('sha256').update(prepared.provider);
  for (const job of prepared.jobs) hash.update('\n').update(JSON.stringify(job));
  return hash.digest('hex');
}

/**
 * Every job id a request is known to have: those that started (its jobs hash, whoever added
 * them) and, for a library submit, those it was cut into, started or not. Sorted by index.
 */
export function requestJobIds(request: Readonly<Record<string, string>>, started: Iterable<string>): string[] {
  const ids = new Set(started);
  if (request.jobIdStem) for (const id of jobIdsOf(request.jobIdStem, Number(request.jobs ?? 0))) ids.add(id);
  return [...ids].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
