import type { ProviderName } from '../domain/types.js';
import type { JobWaker } from '../queue/job-waker.js';
import type { AccountStates } from './account-state.js';

/** Puts a paused or parked account back to work, and wakes the jobs that waited for it. */
export async function resumeAccount(accounts: AccountStates, waker: JobWaker, provider: ProviderName, account: string): Promise<number> {
  const held = await accounts.resume(provider, account);
  const woken = await Promise.all(held.map((jobId) => waker.wake(jobId)));
  return woken.filter(Boolean).length;
}
