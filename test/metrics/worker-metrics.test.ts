import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import type { RunningWorker } from '../../src/app/start-worker.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';
import { waitFor } from '../helpers/wait-for.js';
import { scrape, sampleSum, type Sample } from './prom-text.js';

/** What the simulator answers for each name, and the outcome the contract gives it. */
const TARGETS = { ok_a: 'added', ok_b: 'added', ok_c: 'added', pending_a: 'requested', friend_a: 'already_friends', black_a: 'refused' };

describe("a worker's own /metrics (WORKER_METRICS_PORT)", () => {
  let sim: TimSimulator;
  let h: Harness;
  let worker: RunningWorker;
  let url: string;

  beforeAll(async () => {
    sim = await startTestTimSim({ ratePerSec: 100 });
    h = createHarness('metrics-worker', timEnv(sim, { RETRY_BASE_MS: 20 }));
    worker = await h.startWorker(undefined, { WORKER_METRICS_PORT: 0 });
    url = `http://127.0.0.1:${worker.metrics.server!.port}/metrics`;
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  const calls = (s: Sample[]) => sampleSum(s, 'friend_add_provider_calls_total', { provider: 'tim', code: '0' });
  const results = (s: Sample[], outcome?: string) => sampleSum(s, 'friend_add_results_total', outcome ? { provider: 'tim', outcome } : { provider: 'tim' });

  it('counts calls, latency, limiter waits and results by outcome as calls are made', async () => {
    const before = await scrape(url);
    expect(calls(before)).toBe(0);
    await h.input.add('tim', { requestId: 'm1', fromAccount: 'alice', targets: timTargets(Object.keys(TARGETS)) });
    const got = await h.results.waitForCount(6, 20_000, 'm1');
    // The listener that counts a batch runs just after it is on the queue: wait for the count.
    const after = await waitFor('results counted', async () => {
      const s = await scrape(url);
      return results(s) >= 6 ? s : undefined;
    });
    expect(calls(after)).toBeGreaterThan(calls(before));
    const expected: Record<string, number> = {};
    for (const r of got) expected[r.outcome] = (expected[r.outcome] ?? 0) + 1;
    expect(expected).toEqual({ added: 3, requested: 1, already_friends: 1, refused: 1 });
    for (const [outcome, n] of Object.entries(expected)) expect(results(after, outcome)).toBe(n);
    expect(sampleSum(after, 'friend_add_call_duration_seconds_count', { provider: 'tim' })).toBe(
      sampleSum(after, 'friend_add_provider_calls_total', { provider: 'tim' }),
    );
    expect(sampleSum(after, 'friend_add_limiter_wait_seconds_count', { provider: 'tim', reason: 'rate' })).toBeGreaterThanOrEqual(1);
  });

  it('keeps counting: another request moves the counters again', async () => {
    const before = await scrape(url);
    await h.input.add('tim', { requestId: 'm2', fromAccount: 'bob', targets: timTargets(['ok_x', 'ok_y']) });
    await h.results.waitForCount(2, 20_000, 'm2');
    const after = await waitFor('the new results counted', async () => {
      const s = await scrape(url);
      return results(s, 'added') >= results(before, 'added') + 2 ? s : undefined;
    });
    expect(calls(after)).toBe(calls(before) + 1);
  });

  it("counts a job's wait in its slot for its busy account as an account wait", async () => {
    const held = (s: Sample[]) => sampleSum(s, 'friend_add_limiter_wait_seconds_count', { provider: 'tim', reason: 'account' });
    const before = held(await scrape(url));
    await h.input.add('tim', { requestId: 'm3a', fromAccount: 'carol', targets: timTargets(['slow600_m']) });
    await waitFor('the first call to reach the simulator', () => sim.arrivals().some((a) => a.fromAccount === 'carol'));
    await h.input.add('tim', { requestId: 'm3b', fromAccount: 'carol', targets: timTargets(['ok_m']) });
    await h.results.waitForCount(1, 20_000, 'm3b');
    const after = await waitFor('the account wait counted', async () => {
      const s = await scrape(url);
      return held(s) > before ? s : undefined;
    });
    // It waited for the slow call's answer, most of its 600 ms.
    const seconds = sampleSum(after, 'friend_add_limiter_wait_seconds_sum', { provider: 'tim', reason: 'account' });
    expect(seconds).toBeGreaterThan(0.2);
  });

  it('serves no gauges read from Redis (the API does), and answers 404 elsewhere', async () => {
    const s = await scrape(url);
    for (const name of ['friend_add_queue_jobs', 'friend_add_accounts', 'friend_add_provider_suspended', 'bullmq_job_count']) {
      expect(
        s.some((x) => x.name === name),
        name,
      ).toBe(false);
    }
    expect((await fetch(url.replace('/metrics', '/other'))).status).toBe(404);
  });

  it("with WORKER_STATE_METRICS=true, a worker serves them: both queues' depths, BullMQ's own", async () => {
    const other = await h.startWorker(undefined, { WORKER_METRICS_PORT: 0, WORKER_STATE_METRICS: 'true' });
    const s = await scrape(`http://127.0.0.1:${other.metrics.server!.port}/metrics`);
    for (const queue of ['friend-add', 'friend-add-results']) {
      for (const state of ['waiting', 'delayed', 'active', 'failed', 'prioritized']) {
        expect(s.some((x) => x.name === 'friend_add_queue_jobs' && x.labels.queue === queue && x.labels.state === state)).toBe(true);
      }
    }
    // Nobody consumes the results in this test: they wait on friend-add-results.
    expect(sampleSum(s, 'friend_add_queue_jobs', { queue: 'friend-add-results', state: 'waiting' })).toBeGreaterThanOrEqual(1);
    expect(sampleSum(s, 'bullmq_job_count', { queue: 'friend-add-results', state: 'waiting' })).toBe(
      sampleSum(s, 'friend_add_queue_jobs', { queue: 'friend-add-results', state: 'waiting' }),
    );
    // The input worker records BullMQ's metrics: its completed jobs are counted.
    expect(sampleSum(s, 'bullmq_job_completed_total', { queue: 'friend-add' })).toBeGreaterThanOrEqual(2);
  });
});
