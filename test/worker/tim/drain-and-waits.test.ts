import { afterEach, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../../src/sim/tim/index.js';
import { createHarness, type Harness } from '../../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../../helpers/tim-sim.js';
import { waitFor } from '../../helpers/wait-for.js';
import { AccountLocks } from '../../../src/accounts/account-lock.js';
import { Keys } from '../../../src/lib/keys.js';

describe('TIM worker lifecycle and waiting', () => {
  let sim: TimSimulator;
  let h: Harness;

  afterEach(async () => {
    await h.close();
    await sim.close();
  });

  it('drains on SIGTERM: the call in flight finishes and its result is written, then it exits 0', async () => {
    sim = await startTestTimSim();
    h = createHarness('tim-drain', timEnv(sim));
    const worker = await h.spawnWorker();
    await h.input.add('tim', { requestId: 'drain', fromAccount: 'acct_drain', targets: timTargets(['slow1500_x']) });
    await waitFor('the call to reach the simulator', () => sim.arrivals().length === 1);
    const code = await worker.stop('SIGTERM');
    expect(code).toBe(0);
    const results = await h.results.all();
    expect(results.map((r) => [r.target, r.outcome])).toEqual([['slow1500_x', 'added']]);
  });

  it('holds no worker slot while an account rests: other accounts go on meanwhile', async () => {
    sim = await startTestTimSim();
    h = createHarness('tim-rest', timEnv(sim, { WORKER_CONCURRENCY: 1, STRIKE_BACKOFF_MS: 4000 }));
    await h.startWorker();
    await h.input.add('tim', { requestId: 'resting', fromAccount: 'acct_rest', targets: timTargets(['strike1_r']) });
    await waitFor('the strike', () => sim.arrivals().some((a) => a.fromAccount === 'acct_rest'));
    await h.input.add('tim', { requestId: 'other', fromAccount: 'acct_other', targets: timTargets(['ok_o']) });
    // With one slot, this can only finish if the resting job does not hold it.
    await h.results.waitForCount(1, 3000, 'other');
    expect(await h.results.all()).toHaveLength(1);
    const [rested] = await h.results.waitForCount(1, 15_000, 'resting');
    expect(rested).toMatchObject({ outcome: 'added', attempts: 1 });
  });

  it('a job whose account is busy waits in its slot, and calls as soon as the call before it ends', async () => {
    sim = await startTestTimSim();
    h = createHarness('tim-busywait', timEnv(sim, { WORKER_CONCURRENCY: 2 }));
    await h.startWorker();
    const first = await h.input.add('tim', { requestId: 'busy-1', fromAccount: 'acct_busy', targets: timTargets(['slow600_a']) });
    await waitFor('the first call to reach the simulator', () => sim.arrivals().length === 1);
    const second = await h.input.add('tim', { requestId: 'busy-2', fromAccount: 'acct_busy', targets: timTargets(['ok_b']) });
    const [done] = await h.results.waitForCount(1, 10_000, 'busy-2');
    expect(done).toMatchObject({ outcome: 'added', attempts: 1 });
    expect((await h.results.all()).map((r) => r.target).sort()).toEqual(['ok_b', 'slow600_a']);
    // One pass, never delayed: it waited in place, with nothing to say in its log.
    const held = (await h.input.getJob(second.id!))!;
    expect(held.attemptsStarted).toBe(1);
    expect((await h.input.getJobLogs(second.id!)).logs).toEqual([]);
    // And the calls did not overlap: the second arrived after the first was answered.
    const [a, b] = sim.arrivals();
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(550);
    expect((await h.input.getJob(first.id!))!.attemptsStarted).toBe(1);
    // Nobody is left in the account's line: taking the account left it.
    await waitFor('the first job to complete', async () => (await first.getState()) === 'completed');
    expect(await new AccountLocks(h.redis, new Keys(h.prefix), 1000).view('tim', 'acct_busy')).toMatchObject({ held: false, waiters: 0 });
  });

  it('waits for transient retries in Redis, not in a slot', async () => {
    sim = await startTestTimSim();
    h = createHarness('tim-retrywait', timEnv(sim, { WORKER_CONCURRENCY: 1, RETRY_BASE_MS: 3000 }));
    await h.startWorker();
    const job = await h.input.add('tim', { requestId: 'retrying', fromAccount: 'acct_retry', targets: timTargets(['transient1_q']) });
    await waitFor('the job to wait delayed', async () => (await job.getState()) === 'delayed');
    await h.input.add('tim', { requestId: 'quick', fromAccount: 'acct_quick', targets: timTargets(['ok_q']) });
    await h.results.waitForCount(1, 1500, 'quick');
    const [retried] = await h.results.waitForCount(1, 15_000, 'retrying');
    expect(retried).toMatchObject({ outcome: 'added', attempts: 2 });
  });

  it('a pass that makes no call lets go at once of the account it took as it started', async () => {
    sim = await startTestTimSim();
    h = createHarness('tim-startlease', timEnv(sim, { WORKER_CONCURRENCY: 1, RETRY_BASE_MS: 4000 }));
    await h.startWorker();
    const job = await h.input.add('tim', { requestId: 'early', fromAccount: 'acct_early', targets: timTargets(['transient1_e']) });
    await waitFor('the job to wait for its retry', async () => (await job.getState()) === 'delayed');
    // Woken before its retry is due: the pass takes the account as it starts, finds nothing to
    // call yet, and waits again.
    await (await h.input.getJob(job.id!))!.promote();
    await waitFor('the early pass to wait again', async () => {
      const seen = (await h.input.getJob(job.id!))!;
      return seen.attemptsStarted >= 2 && (await seen.getState()) === 'delayed';
    });
    const locks = new AccountLocks(h.redis, new Keys(h.prefix), 1000);
    expect(await locks.view('tim', 'acct_early')).toMatchObject({ held: false });
    expect(sim.arrivals()).toHaveLength(1);
    const [retried] = await h.results.waitForCount(1, 15_000, 'early');
    expect(retried).toMatchObject({ outcome: 'added', attempts: 2 });
  });
});
