import type { AccountState } from '../accounts/account-state.js';

/** A locked-out account's targets say why, and until when, so that producers can move the work. */
export function lockoutInfo(account: AccountState): string {
  const strikes = account.lockedStrikes || 'several';
  return `account locked out after ${strikes} strikes in a row until ${new Date(account.lockedUntil).toISOString()}; move the work to another account, or resume this one`;
}
