import type { RequestStatus } from '../client/read-request.js';
import type { PendingTarget } from '../client/pending-targets.js';
import { countsByOutcome } from './progress-view.js';

/** A request's status for a person at a terminal: totals first, then what support asks about. */
export function formatStatus(status: RequestStatus): string[] {
  const lines = [
    `request ${status.requestId}${status.provider ? ` (${status.provider})` : ''}${status.createdAt ? `, created ${status.createdAt}` : ''}`,
    `targets: ${status.total} in ${status.jobs} jobs; ${status.total - status.open} final, ${status.open} open`,
    `outcomes: ${countsByOutcome(status)}`,
  ];
  // Friends now, by the providers' callbacks: counted beside the outcomes, which do not change.
  if (status.confirmed > 0)
    lines.push(`confirmed by callbacks: ${status.confirmed} (of ${status.totals.requested} requested; see friend-add events --request)`);
  if (status.cancelled) lines.push('cancelled: targets not yet called end `cancelled`');
  if (status.pending.length > 0) {
    lines.push(`called and still open (${status.pending.length} shown): target, attempts, last code, info`);
    for (const p of status.pending) lines.push(`  ${pendingLine(p)}`);
  }
  return lines;
}

function pendingLine(p: PendingTarget): string {
  const parts = [p.target, `${p.attempts} attempts`, `code ${p.code}`, p.info, p.providerRequestId && `RequestId ${p.providerRequestId}`];
  return parts.filter((v) => v !== undefined && v !== '').join('  ');
}
