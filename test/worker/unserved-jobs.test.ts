import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { GeweSimulator } from '../../src/sim/gewe/index.js';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import { createLogger } from '../../src/lib/logger.js';
import type { RunningWorker } from '../../src/app/start-worker.js';
import { HandoffQueues } from '../../src/queue/handoff-queues.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { geweEnv, geweJob, startTestGeweSim } from '../helpers/gewe-sim.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';

/** Workers configured differently share one intake: a job goes to a worker that can serve it. */
describe('jobs a worker does not serve', () => {
  let h: Harness;
  let tim: TimSimulator;
  let gewe: GeweSimulator;
  const silent = createLogger({ level: 'silent' });

  afterEach(async () => {
    await h?.close();
    await tim?.close();
    await gewe?.close();
  });

  const world = async (label: string) => {
    tim = await startTestTimSim();
    gewe = await startTestGeweSim();
    h = createHarness(label, { ...timEnv(tim), ...geweEnv(gewe) });
  };

  it('refuses a job for a provider no worker of the deployment serves: provider_disabled, no call', async () => {
    await world('unserved-off');
    await h.startWorker(silent, { PROVIDERS: 'tim' });
    await h.input.add('gewe', { requestId: 'g-off', ...geweJob('wx_off', 'v3_off_1') });
    const [result] = await h.results.waitForCount(1, 15_000, 'g-off');
    expect(result).toMatchObject({ target: 'v3_off_1', outcome: 'refused', code: 'provider_disabled', attempts: 0 });
    expect(result!.info).toMatch(/provider gewe is not enabled.*PROVIDERS=tim/);
    expect(gewe.arrivals()).toHaveLength(0);
  });

  it('hands a job to the worker that serves it: a TIM-only and a GeWe-only worker share the intake', async () => {
    await world('unserved-split');
    const timOnly = await h.startWorker(silent, { PROVIDERS: 'tim' });
    const geweOnly = await h.startWorker(silent, { PROVIDERS: 'gewe' });
    for (let i = 0; i < 4; i += 1) {
      await h.input.add('gewe', { requestId: `g-${i}`, ...geweJob(`wx_split_${i}`, `v3_split_${i}`) });
      await h.input.add('tim', { requestId: `t-${i}`, fromAccount: `alice${i}`, targets: timTargets([`bob${i}`]) });
    }
    // A job that reaches the wrong worker moves to its service's hand-off queue, which only the
    // right worker consumes: no second bounce, so eight jobs take well under a second here.
    const results = await h.results.waitForCount(8, 15_000);
    expect(results.map((r) => r.outcome).sort()).toEqual([...Array(4).fill('added'), ...Array(4).fill('requested')]);
    expect(results.filter((r) => r.code === 'provider_disabled')).toHaveLength(0);
    const intake = await h.input.getJobs(['completed']);
    expect(intake).toHaveLength(8);
    const handed = intake.filter((job) => job.returnvalue?.handedTo);
    // Each handed-off job went to its own service's queue, at most once.
    for (const job of handed) expect(job.returnvalue.handedTo).toBe(`friend-add.for.${job.name}`);
    expect(new Set(handed.map((job) => job.id)).size).toBe(handed.length);
    // Each worker counted what it handed off, by the service the job needs.
    const counted = async (w: RunningWorker) => (await w.metrics.registry.getSingleMetric('friend_add_jobs_handed_off_total')!.get()).values;
    const byService = [...(await counted(timOnly)), ...(await counted(geweOnly))].map((v) => [v.labels.service, v.value]);
    const expected = ['gewe', 'tim'].map((service) => [service, handed.filter((job) => job.name === service).length]).filter(([, n]) => n !== 0);
    expect(byService.sort()).toEqual(expected);
    expect(gewe.arrivals()).toHaveLength(4);
  });

  it("hands off a TIM job naming an SDKAppID that only another worker can sign for: it waits in that app's queue", async () => {
    await world('unserved-app');
    // Another worker of the deployment announced the app a moment ago (it is down now).
    await h.redis.hset(`${h.prefix}:fa:fleet:served`, 'tim:1400000999', String(Date.now()));
    await h.startWorker(silent, { PROVIDERS: 'tim' });
    const job = await h.input.add('tim', { requestId: 't-other', sdkAppId: 1400000999, fromAccount: 'al', targets: timTargets(['b']) });
    await expect.poll(async () => (await h.input.getJob(job.id!))?.returnvalue?.handedTo, { timeout: 10_000 }).toBe('friend-add.for.tim.1400000999');
    const handoff = new Queue('friend-add.for.tim.1400000999', { connection: h.redis, prefix: h.prefix });
    try {
      const copy = await handoff.getJob(job.id!);
      expect(await copy?.getState()).toBe('waiting');
      expect(copy?.data).toEqual(job.data);
      expect(copy?.timestamp).toBe(job.timestamp);
    } finally {
      await handoff.close();
    }
    expect(await h.results.all()).toHaveLength(0);
  });

  it('ends a job waiting in the hand-off queue of a service nobody has served for a day: provider_disabled', async () => {
    await world('unserved-lapsed');
    // A GeWe-only worker took a job off the intake for GeWe... then the fleet lost GeWe a day ago.
    await h.redis.hset(`${h.prefix}:fa:fleet:served`, 'gewe', String(Date.now() - 25 * 3_600_000));
    const handoffs = new HandoffQueues(h.redis, h.prefix);
    try {
      const job = await h.input.add('gewe', { requestId: 'g-lapsed', ...geweJob('wx_lapsed', 'v3_lapsed') });
      await handoffs.handOff(job, 'gewe');
      await job.remove(); // only its copy is left, in GeWe's hand-off queue
      await h.startWorker(silent, { PROVIDERS: 'tim' });
      const [result] = await h.results.waitForCount(1, 15_000, 'g-lapsed');
      expect(result).toMatchObject({ target: 'v3_lapsed', outcome: 'refused', code: 'provider_disabled', attempts: 0 });
      expect(gewe.arrivals()).toHaveLength(0);
    } finally {
      await handoffs.close();
    }
  });

  it('refuses a TIM job naming an SDKAppID nobody serves, naming the field', async () => {
    await world('unserved-noapp');
    await h.startWorker(silent, { PROVIDERS: 'tim' });
    await h.input.add('tim', { requestId: 't-noapp', sdkAppId: 1400000998, fromAccount: 'al', targets: timTargets(['b', 'b', 'c']) });
    const results = await h.results.waitForCount(2, 15_000, 't-noapp');
    expect(results.map((r) => [r.target, r.outcome, r.code])).toEqual([
      ['b', 'refused', 'invalid_input'],
      ['c', 'refused', 'invalid_input'],
    ]);
    // The target named twice counts once: the request is closed, not left open forever.
    const status = await h.redis.hget(`${h.prefix}:fa:req:t-noapp`, 'open');
    expect(status).toBe('0');
  });
});
