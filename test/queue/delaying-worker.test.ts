import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelayingWorker, DelayUntil } from '../../src/queue/delaying-worker.js';
import { writeOnCompletion } from '../../src/queue/completion-fields.js';
import { useRedisPrefix } from '../helpers/redis-prefix.js';
import { waitFor } from '../helpers/wait-for.js';

/** Counts the Worker's own fetches (moveToActive): the fetches a delay did not make for it. */
class CountingWorker extends DelayingWorker {
  fetches = 0;
  protected override moveToActive(token: string, name?: string) {
    this.fetches += 1;
    return super.moveToActive(token, name);
  }
}

/** DelayingWorker moves a job thrown out with DelayUntil, and takes the next job in that step. */
describe('DelayingWorker', () => {
  const ctx = useRedisPrefix('delaying-worker');
  let queue: Queue;
  const workers: DelayingWorker[] = [];

  beforeAll(() => {
    queue = new Queue('delaying', { connection: ctx.redis, prefix: ctx.prefix });
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await queue.close();
  });

  const consume = (processor: (job: Job) => Promise<unknown>) => {
    const worker = new CountingWorker('delaying', processor, { connection: ctx.redis, prefix: ctx.prefix, concurrency: 1 });
    workers.push(worker);
    return worker;
  };

  it('delays each job until its time, uses no attempt, and takes the next job without a fetch of its own', async () => {
    const jobs = await queue.addBulk(Array.from({ length: 6 }, (_, i) => ({ name: 'wait', data: { i } })));
    const until = new Map<string, number>();
    const worker = consume(async (job) => {
      const untilMs = Date.now() + 60_000 + Number(job.data.i) * 1000;
      until.set(String(job.id), untilMs);
      throw new DelayUntil(untilMs, 'not yet');
    });
    await waitFor('every job delayed', async () => (await queue.getDelayedCount()) === jobs.length, 10_000);
    await worker.close();
    for (const job of jobs) {
      const score = Number(await ctx.redis.zscore(`${ctx.prefix}:delaying:delayed`, job.id!));
      // BullMQ keeps a delayed job's time as ms × 0x1000 plus a counter.
      expect(Math.floor(score / 0x1000)).toBeGreaterThanOrEqual(until.get(job.id!)! - 5);
      expect(Math.floor(score / 0x1000)).toBeLessThanOrEqual(until.get(job.id!)! + 5);
      expect((await queue.getJob(job.id!))!.attemptsMade).toBe(0);
    }
    // The first job came from a fetch; the other five each came with the delay of the one before.
    // A Worker whose processor moved its jobs itself fetched each of them (eight fetches here).
    expect(worker.fetches).toBeLessThanOrEqual(2);
  });

  it('runs a job again at once when its time has passed', async () => {
    const job = await queue.add('due', {});
    let passes = 0;
    const worker = consume(async (j) => {
      if (j.id !== job.id) return undefined;
      passes += 1;
      if (passes === 1) throw new DelayUntil(Date.now() - 1000, 'already due');
      return 'second pass';
    });
    await waitFor('the job completed', async () => (await queue.getJob(job.id!))?.returnvalue === 'second pass', 10_000);
    await worker.close();
    expect(passes).toBe(2);
  });

  it('leaves every other error to BullMQ: an unrecoverable one fails the job', async () => {
    const job = await queue.add('bad', {});
    const worker = consume(async (j) => {
      if (j.id === job.id) throw new UnrecoverableError('bad input');
    });
    await waitFor('the job failed', async () => (await queue.getJob(job.id!))?.failedReason === 'bad input', 10_000);
    await worker.close();
    expect(await (await queue.getJob(job.id!))!.getState()).toBe('failed');
  });

  it('completes a job with the fields its processor asked for, written by the move that completes it, which brings the next job', async () => {
    const jobs = await queue.addBulk(Array.from({ length: 4 }, (_, i) => ({ name: 'done', data: { i } })));
    const completed: Array<{ id: string; result: unknown }> = [];
    const worker = consume(async (job) => {
      expect(writeOnCompletion(job, { progress: JSON.stringify({ final: 3, total: 3, progress: 100 }) })).toBe(true);
      return { i: job.data.i };
    });
    worker.on('completed', (job, result) => completed.push({ id: String(job.id), result }));
    const allCompleted = async () => (await Promise.all(jobs.map((j) => queue.getJob(j.id!)))).every((j) => j?.finishedOn !== undefined);
    await waitFor('every job completed', allCompleted, 10_000);
    await worker.close();
    for (const job of jobs) {
      const done = (await queue.getJob(job.id!))!;
      expect(done.progress).toEqual({ final: 3, total: 3, progress: 100 });
      expect(done.returnvalue).toEqual({ i: job.data.i });
      expect(done.attemptsMade).toBe(1);
      expect(done.finishedOn).toBeGreaterThan(0);
    }
    expect(completed.map((c) => c.id).sort()).toEqual(jobs.map((j) => j.id!).sort());
    // No write of their own: no `progress` event; each next job came with the completion before it.
    const events = await ctx.redis.xrange(`${ctx.prefix}:delaying:events`, '-', '+');
    expect(events.filter(([, fields]) => fields[1] === 'progress')).toHaveLength(0);
    expect(worker.fetches).toBeLessThanOrEqual(2);
  });

  it('a job run by a plain BullMQ Worker writes its fields itself: writeOnCompletion declines', async () => {
    const job = await queue.add('plain', {});
    const answers: boolean[] = [];
    const worker = new Worker(
      'delaying',
      async (j) => {
        if (j.id === job.id) answers.push(writeOnCompletion(j, { progress: '100' }));
      },
      { connection: ctx.redis, prefix: ctx.prefix },
    );
    await waitFor('the job completed', async () => (await queue.getJob(job.id!))?.finishedOn !== undefined, 10_000);
    await worker.close();
    expect(answers).toEqual([false]);
    expect((await queue.getJob(job.id!))!.progress).toBe(0);
  });
});
