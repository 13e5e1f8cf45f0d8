import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import type { GeweSimulator } from '../../src/sim/gewe/index.js';
import type { AccountLocks, Blocked, Busy, Lease } from '../../src/accounts/account-lock.js';
import { AccountStates, type AccountState } from '../../src/accounts/account-state.js';
import type { ProviderName } from '../../src/domain/types.js';
import { Keys } from '../../src/lib/keys.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait-for.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';
import { geweEnv, geweJob, startTestGeweSim } from '../helpers/gewe-sim.js';

/** What the account's state was at each moment a held account was let go. */
function watchReleases(locks: AccountLocks, accounts: AccountStates): AccountState[] {
  const seen: AccountState[] = [];
  const watched = (provider: ProviderName, account: string, lease: Lease | Busy | Blocked): Lease | Busy | Blocked => {
    if (!('release' in lease)) return lease;
    const { release, releaseStep } = lease;
    return {
      struck: lease.struck,
      stepReply: lease.stepReply,
      release: async () => {
        seen.push(await accounts.read(provider, account));
        return release();
      },
      // A call lets go in the script that records it (release-and-record.lua, gewe-call-end.lua),
      // which runs once the step is asked for: the state read now is the state it lets go in.
      releaseStep: () => {
        void accounts.read(provider, account).then((state) => seen.push(state));
        return releaseStep();
      },
    };
  };
  const acquire = locks.acquire.bind(locks);
  locks.acquire = async (provider, account, ...rest) => watched(provider, account, await acquire(provider, account, ...rest));
  // A GeWe call takes its account with its send's check (take-and-begin.lua).
  const acquireThen = locks.acquireThen.bind(locks);
  locks.acquireThen = async (provider, account, ...rest) => watched(provider, account, await acquireThen(provider, account, ...rest));
  // A TIM job takes its account as it starts (init-and-take.lua).
  const takePart = locks.takePart.bind(locks);
  locks.takePart = (provider, account, ...rest) => {
    const part = takePart(provider, account, ...rest);
    return { ...part, outcome: (reply, stepReply) => watched(provider, account, part.outcome(reply, stepReply)) };
  };
  return seen;
}

/**
 * A job decides to call on the account state it read before it takes the account: a strike
 * answered to another job's call must be on record before that call lets the account go, and
 * taking the account checks it (lock-acquire.lua), so no call goes out while the account rests.
 */
describe('a strike is on record before the account is let go', () => {
  let tim: TimSimulator;
  let gewe: GeweSimulator;
  let h: Harness;
  let accounts: AccountStates;
  let releases: AccountState[];

  beforeAll(async () => {
    tim = await startTestTimSim({ ratePerSec: 1000 });
    gewe = await startTestGeweSim();
    h = createHarness('strike-release', { ...timEnv(tim, { STRIKE_BACKOFF_MS: 60_000 }), ...geweEnv(gewe, { GEWE_STRIKE_BACKOFF_MS: 60_000 }) });
    accounts = new AccountStates(h.redis, new Keys(h.prefix));
    const running = await h.startWorker();
    releases = watchReleases(running.parts.locks, accounts);
  });
  afterAll(async () => {
    await h.close();
    await tim.close();
    await gewe.close();
  });

  it('TIM 30540: the account already rests when its call lets it go', async () => {
    const from = releases.length;
    await h.input.add('tim', { requestId: 'tim-strike', fromAccount: 'acct_sr', targets: timTargets(['strike1_sr']) });
    await waitFor('the struck call to let the account go', () => releases.length > from, 10_000);
    // The simulator answers the target `strike1_…` with 30540 on its first call.
    expect(tim.arrivals().filter((a) => a.fromAccount === 'acct_sr')).toHaveLength(1);
    expect(releases[from]!.restUntil).toBeGreaterThan(Date.now());
  });

  it('GeWe too_frequent: the account already rests when its call lets it go', async () => {
    const from = releases.length;
    await h.input.add('gewe', { requestId: 'gewe-strike', ...geweJob('wx_sr', 'v3_freq_sr') });
    await waitFor('the struck call to let the account go', () => releases.length > from, 10_000);
    expect(gewe.arrivals().filter((a) => a.appId === 'wx_sr')).toHaveLength(1);
    expect(releases[from]!.restUntil).toBeGreaterThan(Date.now());
  });
});
