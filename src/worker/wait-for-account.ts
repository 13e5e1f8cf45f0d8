import type { AccountState } from '../accounts/account-state.js';
import type { JobRef } from '../queue/job-ref.js';
import type { ProcessorDeps } from './processor-deps.js';
import { Wait } from './wait.js';
import type { CredentialGuard } from '../fleet/credential-guard.js';

/** A paused or parked account's jobs look again this often; resume wakes them at once (resume-account.ts). */
export const PAUSE_POLL_MS = 30_000;

/**
 * Throws Wait while the account must not be called: paused by an operator, parked (GeWe offline
 * or logged out) or resting after a strike. Held jobs are noted so that resume wakes them.
 */
/** Throws Wait while the credential is suspended and this call is not its probe (src/fleet/credential-guard.ts). */
export async function waitForCredential(credential: CredentialGuard | undefined): Promise<void> {
  const suspended = await credential?.beforeCall();
  if (suspended) throw new Wait(suspended.untilMs, suspended.reason);
}

export async function waitForAccount(ref: JobRef, account: AccountState, deps: ProcessorDeps, now = Date.now()) {
  if (account.paused || account.parked) await deps.accounts.hold(ref.provider, ref.account, ref.jobId);
  if (account.paused) throw new Wait(now + PAUSE_POLL_MS, 'account paused');
  if (account.parked) throw new Wait(now + PAUSE_POLL_MS, `account parked: ${account.parkedReason ?? ''}`);
  if (account.restUntil > now) throw new Wait(account.restUntil, 'account resting after a strike');
}

/**
 * The account's state changed after this turn read it (AccountLocks.acquire answered Blocked: a
 * strike, a pause): the job looks again at once, and waits or ends as the new state says.
 */
export function accountStateChanged(): Wait {
  return new Wait(Date.now(), "the account's state changed since it was read: reading it again");
}
