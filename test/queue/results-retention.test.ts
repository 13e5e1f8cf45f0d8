import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createFriendAddClient } from '../../src/client/friend-add-client.js';
import { WEBHOOK_QUEUE } from '../../src/webhook/webhook-queue.js';
import { createHarness } from '../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';
import { waitFor } from '../helpers/wait-for.js';
import { startReceiver } from '../webhook/receiver.js';

const SECRET = 'whsec-retention-test-2b7d';
const TARGETS = ['ok_1', 'ok_2', 'pending_1', 'transient2_1', 'black_1'];

describe('RESULTS_QUEUE=off: a webhook-only deployment', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function run(label: string, resultsQueue: 'on' | 'off') {
    const sim = await startTestTimSim({ ratePerSec: 100 });
    cleanups.push(() => sim.close());
    // The receiver refuses its first two POSTs: the retried deliveries must still arrive once each.
    const receiver = await startReceiver(SECRET, { failFirst: 2 });
    cleanups.push(() => receiver.close());
    const env = timEnv(sim, { RETRY_BASE_MS: 20, RESULTS_WEBHOOK_URL: receiver.url, RESULTS_WEBHOOK_SECRET: SECRET, RESULTS_QUEUE: resultsQueue });
    const h = createHarness(label, env);
    cleanups.push(() => h.close());
    const webhookQueue = new Queue(WEBHOOK_QUEUE, { connection: h.redis, prefix: h.prefix });
    cleanups.push(() => webhookQueue.close());
    const client = createFriendAddClient({ connection: h.redis, config: h.config });
    cleanups.push(() => client.close());
    await h.startWorker();
    await client.submitTim({ requestId: 'keep-1', fromAccount: 'alice', targets: timTargets(TARGETS) });
    const status = await waitFor('every target final', async () => {
      const s = await client.getRequest('keep-1', { limit: 100 });
      return s && s.open === 0 && s.total === TARGETS.length ? s : undefined;
    });
    // Done: every delivery job completed and nothing left to retry.
    await waitFor(
      'every batch delivered',
      async () => {
        const c = await webhookQueue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'prioritized');
        const pending = (c.waiting ?? 0) + (c.delayed ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
        const delivered = new Set(receiver.accepted().map((d) => d.resultJobId));
        return pending === 0 && (c.completed ?? 0) > 0 && delivered.size === c.completed;
      },
      30_000,
    );
    return { h, status, receiver };
  }

  it('writes nothing to friend-add-results; the webhook gets every batch; status has one result per target', async () => {
    const { h, status, receiver } = await run('retention-off', 'off');
    const counts = await h.results.queue.getJobCounts('waiting', 'completed', 'failed', 'delayed', 'active', 'prioritized');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    const delivered = receiver.accepted().flatMap((d) => d.body.results.map((r) => r.target));
    expect(delivered.sort()).toEqual([...TARGETS].sort());
    expect(status.results.map((r) => r.target).sort()).toEqual([...TARGETS].sort());
    expect(status.resultCount).toBe(TARGETS.length);
  });

  it('RESULTS_QUEUE=on (the default) keeps writing friend-add-results beside the webhook', async () => {
    const { h, receiver } = await run('retention-on', 'on');
    const onQueue = (await h.results.all()).map((r) => r.target).sort();
    expect(onQueue).toEqual([...TARGETS].sort());
    expect(
      receiver
        .accepted()
        .flatMap((d) => d.body.results.map((r) => r.target))
        .sort(),
    ).toEqual([...TARGETS].sort());
  });
});
