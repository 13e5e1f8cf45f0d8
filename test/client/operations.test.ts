import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import type { Harness } from '../helpers/harness.js';
import { startLibraryWorld, stopLibraryWorld } from '../helpers/library-world.js';
import { waitFor } from '../helpers/wait-for.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';
import type { FriendAddClient } from '../../src/client/friend-add-client.js';
import { UnknownRequestError } from '../../src/client/errors.js';
import { PAUSE_POLL_MS } from '../../src/worker/wait-for-account.js';
import { jobsOf } from './queue-helpers.js';

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Operating requests and accounts through the library, against a worker and the TIM simulator. */
describe('library operations: cancel, pause and resume, re-drive, status', () => {
  let sim: TimSimulator;
  let h: Harness;
  let client: FriendAddClient;
  const callsOf = (fromAccount: string) => sim.arrivals().filter((a) => a.fromAccount === fromAccount);
  const allDelayed = async (requestId: string, count: number) => {
    const jobs = await jobsOf(h.input, requestId);
    const states = await Promise.all(jobs.map((j) => j.getState()));
    return jobs.length === count && states.every((s) => s === 'delayed');
  };

  beforeAll(async () => {
    const timSim = await startTestTimSim({ ratePerSec: 100 });
    // Transient answers wait a minute before their retry, so a test can see a target still open.
    ({ sim, h, client } = await startLibraryWorld(timSim, 'client-ops', timEnv(timSim, { RETRY_BASE_MS: 60_000 })));
  });
  afterAll(() => stopLibraryWorld({ sim, h, client }));

  it('cancels a request whose account is paused: every target ends cancelled, promptly, with no call', async () => {
    await client.pauseAccount('tim', 'frank');
    await client.submitTim({ requestId: 'cancel-me', fromAccount: 'frank', targets: timTargets(names('ok_c', 1500)) });
    await waitFor('both jobs to wait for the paused account', () => allDelayed('cancel-me', 2), 10_000);
    const cancelled = await client.cancelRequest('cancel-me');
    expect(cancelled).toEqual({ requestId: 'cancel-me', woken: 2 });
    // Woken, not left to their next look at the pause (every PAUSE_POLL_MS).
    const results = await h.results.waitForCount(1500, Math.min(5000, PAUSE_POLL_MS - 1000), 'cancel-me');
    await client.resumeAccount('tim', 'frank');
    expect(results.every((r) => r.outcome === 'cancelled' && r.code === 'cancelled' && r.attempts === 0)).toBe(true);
    expect(callsOf('frank')).toHaveLength(0);
    const status = await client.getRequest('cancel-me');
    expect(status).toMatchObject({ cancelled: true, total: 1500, open: 0, totals: { cancelled: 1500, added: 0 } });
  });

  it("holds a paused account's jobs without calls, and goes on after resume", async () => {
    await client.pauseAccount('tim', 'gina');
    await client.submitTim({ requestId: 'paused', fromAccount: 'gina', targets: timTargets(names('ok_p', 10)) });
    await waitFor('the job to wait for the paused account', () => allDelayed('paused', 1), 10_000);
    expect(callsOf('gina')).toHaveLength(0);
    expect(await client.getRequest('paused')).toMatchObject({ open: 10, totals: { added: 0 } });
    await client.resumeAccount('tim', 'gina');
    // Resume wakes the held job: no wait for its next look at the pause.
    const results = await h.results.waitForCount(10, Math.min(5000, PAUSE_POLL_MS - 1000), 'paused');
    expect(results.every((r) => r.outcome === 'added')).toBe(true);
    expect(callsOf('gina').map((a) => a.count)).toEqual([10]);
  });

  it('re-drives the failed targets into a new request that keeps their data', async () => {
    const targets = [
      { toAccount: 'unknown_r1', addSource: 'AddSource_Type_Web', remark: 'keep me', addWording: 'hello again' },
      ...timTargets(['ok_r2', 'unknown_r3', 'black_r4']),
    ];
    await client.submitTim({ requestId: 'redrive', fromAccount: 'hank', addType: 'Add_Type_Single', targets });
    await h.results.waitForCount(4, 10_000, 'redrive');
    const retry = await client.retryFailed('redrive');
    expect(retry).toEqual({ requestId: 'redrive-retry-1', jobs: 1, targets: 2 });
    const [job] = await jobsOf(h.input, 'redrive-retry-1');
    expect(job!.data).toEqual({ requestId: 'redrive-retry-1', fromAccount: 'hank', addType: 'Add_Type_Single', targets: [targets[0], targets[2]] });
    const again = await h.results.waitForCount(2, 10_000, 'redrive-retry-1');
    expect(again.map((r) => [r.target, r.outcome]).sort()).toEqual([
      ['unknown_r1', 'failed'],
      ['unknown_r3', 'failed'],
    ]);
    expect(callsOf('hank').map((a) => a.count)).toEqual([4, 2]);
    // Asked again with the same failed set: the same retry request, nothing added.
    expect(await client.retryFailed('redrive')).toEqual(retry);
    expect(await jobsOf(h.input, 'redrive-retry-1')).toHaveLength(1);
    // The retry's own failures make the next generation.
    expect(await client.retryFailed('redrive-retry-1')).toMatchObject({ requestId: 'redrive-retry-1-retry-1', targets: 2 });
  });

  it('answers no request when nothing failed, and refuses an unknown request', async () => {
    await client.submitTim({ requestId: 'all-good', fromAccount: 'ivan', targets: timTargets(['ok_g1']) });
    await h.results.waitForCount(1, 10_000, 'all-good');
    expect(await client.retryFailed('all-good')).toEqual({ requestId: null, jobs: 0, targets: 0 });
    await expect(client.retryFailed('never-was')).rejects.toThrow(UnknownRequestError);
    await expect(client.cancelRequest('never-was')).rejects.toThrow(UnknownRequestError);
    expect(await client.getRequest('never-was')).toBeNull();
  });

  it("reports totals equal to the results on friend-add-results, pages them, and shows open targets' last answers", async () => {
    const targets = timTargets(['ok_s1', 'pending_s2', 'friend_s3', 'black_s4', 'unknown_s5', 'transient3_s6', 'ok_s7']);
    await client.submitTim({ requestId: 'status', fromAccount: 'judy', targets });
    const results = await h.results.waitForCount(6, 10_000, 'status');
    const status = await waitFor('the status to count 6 finals', async () => {
      const s = await client.getRequest('status', { offset: 0, limit: 1000 });
      return s && s.open === 1 && s.pending.length === 1 ? s : undefined;
    });
    const fromResults: Record<string, number> = {};
    for (const r of results) fromResults[r.outcome] = (fromResults[r.outcome] ?? 0) + 1;
    const nonZero = Object.fromEntries(Object.entries(status.totals).filter(([, n]) => n > 0));
    expect(nonZero).toEqual(fromResults);
    expect(status).toMatchObject({ provider: 'tim', total: 7, open: 1, resultCount: 6, cancelled: false });
    expect(status.results.map((r) => r.target).sort()).toEqual(results.map((r) => r.target).sort());
    expect(status.pending).toEqual([
      { target: 'transient3_s6', attempts: 1, code: 30505, info: expect.any(String), providerRequestId: expect.stringMatching(/.+/) },
    ]);
    const page = await client.getRequest('status', { offset: 2, limit: 3 });
    expect(page!.results).toEqual(status.results.slice(2, 5));
    await client.cancelRequest('status');
    await h.results.waitForCount(7, 10_000, 'status');
    expect(await client.getRequest('status')).toMatchObject({ open: 0, pending: [], totals: { cancelled: 1 } });
  });
});
