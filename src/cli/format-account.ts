import type { AccountView } from '../accounts/account-view.js';
import type { AccountPage } from '../accounts/account-index.js';
import type { ProviderStatus } from '../fleet/provider-status.js';

/** `accounts show`: one line per fact, the states first, so that a glance says why work waits. */
export function formatAccount(v: AccountView): string[] {
  const lines = [`${v.provider} account ${v.account}: ${v.states.length ? v.states.join(', ') : 'free'}`];
  const lease = v.lease.held ? `held by job ${v.lease.jobId ?? '?'} until ${v.lease.until ?? '?'}` : 'free';
  lines.push(`  lease: ${lease}${v.lease.waiters ? `, ${v.lease.waiters} waiting` : ''}`);
  if (v.restUntil) lines.push(`  resting until ${v.restUntil} (${v.strikes} strikes in a row, code ${v.strikeCode})`);
  else if (v.strikes) lines.push(`  strikes in a row: ${v.strikes} (code ${v.strikeCode})`);
  if (v.lockedUntil) lines.push(`  locked out until ${v.lockedUntil} after ${v.lockedStrikes} strikes in a row (code ${v.strikeCode}): its targets end failed`);
  if (v.paused) lines.push(`  paused since ${v.pausedSince ?? '?'}`);
  if (v.parked) lines.push(`  parked since ${v.parkedSince ?? '?'}: ${v.parkedReason ?? ''}`);
  if (v.disabledUntil) lines.push(`  disabled (TIM 30545) until ${v.disabledUntil}`);
  if (v.heldJobs) lines.push(`  ${v.heldJobs} jobs wait for a resume`);
  if (v.gewe) {
    const g = v.gewe;
    lines.push(`  online since ${g.onlineSince ?? 'never registered'}, paced as ${g.tier}; ${g.reservations} jobs hold a slot`);
    for (const [kind, lane] of Object.entries(g.lanes)) {
      lines.push(`  ${kind}: ${lane.usedToday}/${lane.capToday} today (${g.day}), next send from ${lane.nextSendAt}, last ${lane.lastSentAt ?? 'never'}`);
    }
  }
  return lines;
}

/** `accounts list`: one account a line, then where the next page starts. */
export function formatAccountPage(page: AccountPage): string[] {
  const lines = page.accounts.map((a) => `${a.provider}\t${a.account}\t${a.state}\t${a.until ? `until ${a.until}` : `since ${a.since}`}`);
  const shown = page.offset + page.accounts.length;
  lines.push(
    `${page.accounts.length ? `${page.offset + 1}-${shown}` : 'none'} of ${page.total}${page.nextOffset === null ? '' : `; next: --offset ${page.nextOffset}`}`,
  );
  return lines;
}

/** `providers`: enabled, served, suspended (why, next probe), the TIM rate now. */
export function formatProviders(statuses: readonly ProviderStatus[]): string[] {
  const lines: string[] = [];
  for (const s of statuses) {
    const served = s.workersSeenAt ? `workers seen ${s.workersSeenAt}` : 'no worker seen for a day';
    const rate = s.rate ? `, rate ${s.rate.currentPerSec}/${s.rate.limitPerSec} per s` : '';
    lines.push(`${s.provider}: ${s.enabled ? 'enabled' : 'not enabled'}, ${served}, ${s.suspended ? 'SUSPENDED' : 'ok'}${rate}`);
    for (const x of s.suspensions) {
      lines.push(`  suspended${x.ours ? ' (this credential)' : ''} ${x.fingerprint} since ${x.since}: ${x.code} ${x.info}; next probe ${x.nextProbeAt}`);
    }
  }
  return lines;
}
