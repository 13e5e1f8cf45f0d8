import type { FriendAddClient } from '../client/friend-add-client.js';
import type { RequestStatus } from '../client/read-request.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';
import { createProgressView } from './progress-view.js';
import type { CliIo } from './cli-io.js';

export interface WatchOptions {
  /** How often to read the request's status, in ms. */
  intervalMs: number;
  /** Give up after this long, in ms; undefined: wait as long as it takes. */
  timeoutMs?: number;
}

/**
 * Follows a request until no target is open, showing progress; returns its final status.
 * A request added straight to the queue is counted job by job as workers take them, so its
 * count can reach zero open before its last job is counted: watch a library submit for a
 * certain end.
 */
export async function watchRequest(client: FriendAddClient, requestId: string, io: CliIo, options: WatchOptions): Promise<RequestStatus> {
  const view = createProgressView(io);
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  try {
    for (;;) {
      const status = await client.getRequest(requestId, { limit: 1 });
      if (!status) throw new CliError(`unknown request ${requestId} (never submitted, or expired)`, EXIT.unknownRequest);
      view.update(status);
      if (isFinished(status)) return status;
      if (Date.now() >= deadline) {
        throw new CliError(`request ${requestId} still has ${status.open} open targets after ${options.timeoutMs! / 1000} s`, EXIT.runtime);
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    }
  } finally {
    view.stop();
  }
}

function isFinished(status: RequestStatus): boolean {
  return status.open === 0 && status.total > 0;
}

/** The exit code a watched request earns: `failed` targets are worth telling a script about. */
export function exitCodeOf(status: RequestStatus): ExitCode {
  return status.totals.failed > 0 ? EXIT.failedTargets : EXIT.ok;
}
