import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import type { ResultBatch } from '../../src/domain/types.js';
import { signWebhook, verifyWebhookSignature } from '../../src/webhook/signature.js';
import { WEBHOOK_QUEUE, enqueueWebhookListener } from '../../src/webhook/webhook-queue.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';
import { waitFor } from '../helpers/wait-for.js';
import { startReceiver } from './receiver.js';

const SECRET = 'whsec-delivery-test-6c1f';
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

describe('results webhook (RESULTS_WEBHOOK_URL)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function world(label: string, failFirst = 0) {
    const sim: TimSimulator = await startTestTimSim({ ratePerSec: 100 });
    cleanups.push(() => sim.close());
    const receiver = await startReceiver(SECRET, { failFirst });
    cleanups.push(() => receiver.close());
    const env = timEnv(sim, { RETRY_BASE_MS: 20, RESULTS_WEBHOOK_URL: receiver.url, RESULTS_WEBHOOK_SECRET: SECRET });
    const h = createHarness(label, env);
    cleanups.push(() => h.close());
    const webhookQueue = new Queue(WEBHOOK_QUEUE, { connection: h.redis, prefix: h.prefix });
    cleanups.push(() => webhookQueue.close());
    await h.startWorker();
    // Several batches: two jobs, and a target that needs three calls lands in a later batch.
    await h.input.add('tim', { requestId: 'w1', fromAccount: 'alice', targets: timTargets(['ok_1', 'pending_1', 'transient2_1']) });
    await h.input.add('tim', { requestId: 'w2', fromAccount: 'bob', targets: timTargets(['ok_2', 'black_2']) });
    return { h, receiver, webhookQueue };
  }

  /** Every result job id on friend-add-results, with its data, once all 5 targets are final. */
  async function resultJobs(h: Harness): Promise<Map<string, ResultBatch>> {
    await h.results.waitForCount(5, 20_000);
    const jobs = await h.results.queue.getJobs(['waiting', 'completed', 'failed', 'delayed', 'active', 'prioritized'], 0, -1);
    return new Map(jobs.map((j) => [String(j.id), j.data as ResultBatch]));
  }

  /** Done means nothing left to send: every delivery job completed, none waiting for a retry. */
  async function allDelivered(webhookQueue: Queue, count: number, receiver: Receiver) {
    await waitFor(
      `${count} deliveries completed`,
      async () => {
        const c = await webhookQueue.getJobCounts('waiting', 'delayed', 'active', 'failed', 'completed', 'prioritized');
        const pending = (c.waiting ?? 0) + (c.delayed ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
        return c.completed === count && pending === 0 && receiver.accepted().length >= count;
      },
      30_000,
    );
  }

  it('POSTs every result batch, signed, with the result job id, as it is on friend-add-results', async () => {
    const { h, receiver, webhookQueue } = await world('webhook-signed');
    const batches = await resultJobs(h);
    expect(batches.size).toBeGreaterThanOrEqual(3);
    await allDelivered(webhookQueue, batches.size, receiver);
    expect(receiver.deliveries.every((d) => d.status === 200)).toBe(true);
    expect(new Set(receiver.deliveries.map((d) => d.resultJobId))).toEqual(new Set(batches.keys()));
    for (const d of receiver.deliveries) {
      expect(d.body.resultJobId).toBe(d.resultJobId);
      const { resultJobId: _id, ...batch } = d.body;
      expect(batch).toEqual(batches.get(d.resultJobId));
      expect(d.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(Math.abs(Number(d.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    }
  });

  it('refuses a replay: the same signed body is refused once its timestamp is over 5 minutes old', async () => {
    const { h, receiver, webhookQueue } = await world('webhook-replay');
    const batches = await resultJobs(h);
    await allDelivered(webhookQueue, batches.size, receiver);
    const captured = receiver.deliveries[0]!;
    const ts = Number(captured.timestamp);
    expect(verifyWebhookSignature(SECRET, captured.timestamp, captured.rawBody, captured.signature, 300, ts + 10)).toBe(true);
    expect(verifyWebhookSignature(SECRET, captured.timestamp, captured.rawBody, captured.signature, 300, ts + 301)).toBe(false);
    // An attacker re-sending an old capture, to the real receiver: refused.
    const old = Math.floor(Date.now() / 1000) - 400;
    const replay = await fetch(receiver.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-friendadd-timestamp': String(old),
        'x-friendadd-signature': signWebhook(SECRET, old, captured.rawBody),
      },
      body: captured.rawBody,
    });
    expect(replay.status).toBe(401);
  });

  it('retries with backoff through a flaky receiver: every batch arrives exactly once in the end', async () => {
    const { h, receiver, webhookQueue } = await world('webhook-flaky', 2);
    const batches = await resultJobs(h);
    await allDelivered(webhookQueue, batches.size, receiver);
    const accepted = receiver.accepted().map((d) => d.resultJobId);
    expect(accepted.sort()).toEqual([...batches.keys()].sort());
    expect(receiver.deliveries.filter((d) => d.status === 500)).toHaveLength(2);
    expect(receiver.deliveries).toHaveLength(batches.size + 2);
    // BullMQ's exponential backoff: the first retry comes about a second after the refusal.
    for (const refused of receiver.deliveries.filter((d) => d.status === 500)) {
      const retried = receiver.deliveries.find((d) => d.resultJobId === refused.resultJobId && d.at > refused.at)!;
      expect(retried.at - refused.at).toBeGreaterThanOrEqual(900);
    }
  });

  it('enqueues a batch published twice (same result job id) once', async () => {
    const h = createHarness('webhook-idem');
    cleanups.push(() => h.close());
    const queue = new Queue(WEBHOOK_QUEUE, { connection: h.redis, prefix: h.prefix });
    cleanups.push(() => queue.close());
    const listener = enqueueWebhookListener(queue);
    const batch: ResultBatch = { requestId: 'r', provider: 'tim', account: 'a', results: [] };
    await listener(batch, 'job1-1700000000000-1');
    await listener(batch, 'job1-1700000000000-1');
    await listener(batch, 'job1-1700000000000-2');
    const jobs = await queue.getJobs(['waiting'], 0, -1);
    expect(jobs.map((j) => j.id).sort()).toEqual(['job1-1700000000000-1', 'job1-1700000000000-2']);
    expect(jobs[0]!.opts).toMatchObject({ attempts: 12, backoff: { type: 'exponential', delay: 1000 } });
  });
});
