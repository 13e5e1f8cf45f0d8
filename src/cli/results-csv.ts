import { writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import type { FriendAddClient } from '../client/friend-add-client.js';
import type { RequestStatus } from '../client/read-request.js';
import { MAX_PAGE_LIMIT } from '../client/read-request.js';
import type { TargetResult } from '../domain/types.js';
import { CliError, EXIT } from './exit-codes.js';
import type { CliIo } from './cli-io.js';

/** The results CSV's columns: a result entry of the contract, one row per target. */
export const RESULT_COLUMNS = ['target', 'outcome', 'code', 'info', 'attempts', 'finishedAt', 'providerRequestId'] as const;

/** Every final result of a request, paged out of Redis in the order they were recorded. */
export async function readAllResults(client: FriendAddClient, requestId: string): Promise<{ status: RequestStatus; results: TargetResult[] }> {
  const results: TargetResult[] = [];
  let status: RequestStatus | null;
  do {
    status = await client.getRequest(requestId, { offset: results.length, limit: MAX_PAGE_LIMIT });
    if (!status) throw new CliError(`unknown request ${requestId} (never submitted, or expired)`, EXIT.unknownRequest);
    results.push(...status.results);
  } while (status.results.length > 0 && results.length < status.resultCount);
  return { status, results };
}

export function resultsCsv(results: readonly TargetResult[]): string {
  const rows = results.map((r) => RESULT_COLUMNS.map((column) => String(r[column] ?? '')));
  return stringify([[...RESULT_COLUMNS], ...rows]);
}

/** Writes to a file, or to stdout for `-`. */
export async function writeOutput(io: CliIo, path: string, text: string): Promise<void> {
  if (path === '-') {
    io.stdout.write(text);
    return;
  }
  await writeFile(path, text).catch((err: Error) => {
    throw new CliError(`cannot write ${path}: ${err.message}`, EXIT.runtime);
  });
}
