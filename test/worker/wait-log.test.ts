import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import { createLogger } from '../../src/lib/logger.js';
import { WaitLog } from '../../src/worker/wait-log.js';
import { Wait } from '../../src/worker/wait.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';
import { waitFor } from '../helpers/wait-for.js';

/** A delayed job explains itself: why it waits and until when in its log, how far it is in its progress. */
describe('waits explain themselves', () => {
  let sim: TimSimulator;
  let h: Harness;

  beforeAll(async () => {
    sim = await startTestTimSim({ ratePerSec: 1000 });
    h = createHarness('wait-log', timEnv(sim, { RETRY_BASE_MS: 1500 }));
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  it('a job waiting for a retry logs the reason once and shows {final, total}', async () => {
    const job = await h.input.add('tim', { requestId: 'waits', fromAccount: 'acct_wait', targets: timTargets(['ok_w1', 'transient1_w2']) });
    await waitFor('the job delayed', async () => (await job.getState()) === 'delayed');
    const waiting = await h.input.getJob(job.id!);
    expect(waiting?.progress).toEqual({ final: 1, total: 2, progress: 50 });
    // Written with others, at most WAIT_LOG_FLUSH_MS later.
    await waitFor('the wait in the job log', async () => (await h.input.getJobLogs(job.id!)).count > 0);
    const { logs } = await h.input.getJobLogs(job.id!);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^20\d\d-.*Z waits until 20\d\d-.*Z: targets wait for their retry$/);
    await h.results.waitForCount(2, 15_000, 'waits');
    await waitFor('the job completed', async () => (await job.getState()) === 'completed');
    expect((await h.input.getJob(job.id!))?.progress).toEqual({ final: 2, total: 2, progress: 100 });
  });

  it('writes a reason again only when it changes', async () => {
    const job = await h.input.add('nothing', {}, { delay: 60_000 });
    const waits = new WaitLog(h.redis, createLogger({ level: 'silent' }));
    for (const reason of ['account busy', 'account busy', 'account busy', 'account paused', 'account busy']) {
      waits.note(job, new Wait(Date.now() + 1000, reason));
    }
    await waitFor('three lines', async () => (await h.input.getJobLogs(job.id!)).count === 3);
    const { logs } = await h.input.getJobLogs(job.id!);
    expect(logs.map((l) => l.replace(/^.*Z: /, ''))).toEqual(['account busy', 'account paused', 'account busy']);
  });

  it("writes many jobs' lines in one step, keeps a job's keepLogs, and drops the line of a job that is gone", async () => {
    const waits = new WaitLog(h.redis, createLogger({ level: 'silent' }));
    const jobs = await Promise.all(Array.from({ length: 250 }, (_, i) => h.input.add('nothing', {}, { delay: 60_000, jobId: `many-${i}` })));
    const kept = await h.input.add('nothing', {}, { delay: 60_000, jobId: 'keeps-2', keepLogs: 2 });
    const gone = await h.input.add('nothing', {}, { delay: 60_000, jobId: 'gone-1' });
    await gone.remove();
    for (const job of jobs) waits.note(job, new Wait(Date.now() + 1000, 'waiting for the account’s turn'));
    for (const reason of ['first', 'second', 'third']) waits.note(kept, new Wait(Date.now() + 1000, reason));
    waits.note(gone, new Wait(Date.now() + 1000, 'never written'));
    await waits.flush();
    const counts = await Promise.all(jobs.map(async (job) => (await h.input.getJobLogs(job.id!)).count));
    expect(counts.every((count) => count === 1)).toBe(true);
    expect((await h.input.getJobLogs('keeps-2')).logs.map((l) => l.replace(/^.*Z: /, ''))).toEqual(['second', 'third']);
    expect(await h.redis.exists(`${gone.queueQualifiedName}:gone-1:logs`)).toBe(0);
  });
});
