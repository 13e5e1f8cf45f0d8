import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandoffQueues, handedToOf } from '../../src/queue/handoff-queues.js';
import { JobWaker } from '../../src/queue/job-waker.js';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import { useRedisPrefix } from '../helpers/redis-prefix.js';
import { waitFor } from '../helpers/wait-for.js';

/** A job a worker cannot serve moves to its service's queue, as the same job. */
describe('hand-off queues', () => {
  const ctx = useRedisPrefix('handoff');
  let input: Queue;
  let handoffs: HandoffQueues;
  const workers: Worker[] = [];

  beforeAll(() => {
    input = new Queue(INPUT_QUEUE, { connection: ctx.redis, prefix: ctx.prefix });
    handoffs = new HandoffQueues(ctx.redis, ctx.prefix);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await handoffs.close();
    await input.close();
  });

  /** Runs `processor` on the queue's jobs until closed. */
  const consume = (queue: string, processor: (job: Job, token?: string) => Promise<unknown>) => {
    const worker = new Worker(queue, processor, { connection: ctx.redis, prefix: ctx.prefix });
    workers.push(worker);
    return worker;
  };

  it('moves a job with a numbered id to its service queue as the same job, once, however often it is handed off', async () => {
    const job = await input.add('gewe', { requestId: 'r1', appId: 'wx_1', v3: 'v3_1' }, { priority: 3 });
    expect(job.id).toMatch(/^\d+$/); // BullMQ refuses such ids when a producer chooses them
    const first = await handoffs.handOff(job, 'tim:1400000001');
    const again = await handoffs.handOff(job, 'tim:1400000001');
    expect(first).toEqual({ handedTo: 'friend-add.for.tim.1400000001' });
    expect(again).toEqual(first);
    const queue = handoffs.queueFor('tim:1400000001');
    const copies = await queue.getJobs(['waiting', 'prioritized']);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ id: job.id, name: 'gewe', data: job.data, timestamp: job.timestamp });
    expect(copies[0]!.opts.priority).toBe(3);
  });

  it('completes the intake job with where it went, which handedToOf reads back', async () => {
    const job = await input.add('tim', { requestId: 'r2', fromAccount: 'a', targets: [{ toAccount: 'b' }] });
    const worker = consume(INPUT_QUEUE, (j) => handoffs.handOff(j, 'tim'));
    await waitFor('the intake job to complete', async () => (await input.getJob(job.id!))?.finishedOn !== undefined, 10_000);
    await worker.close();
    const done = await input.getJob(job.id!);
    expect(handedToOf(done!)).toBe('friend-add.for.tim');
    expect(handedToOf({ returnvalue: { handedTo: 'elsewhere' } })).toBeUndefined();
    expect(handedToOf({ returnvalue: null })).toBeUndefined();
  });

  it('wakes a handed-off job where it waits: the waker follows the intake job to its copy', async () => {
    const copies = handoffs.queueFor('gewe');
    // A worker that cannot serve GeWe hands it off; a worker of GeWe makes it wait an hour for its account.
    consume(INPUT_QUEUE, (j) => handoffs.handOff(j, 'gewe'));
    let runs = 0;
    consume(copies.name, async (j, token) => {
      runs += 1;
      await j.moveToDelayed(Date.now() + 3_600_000, token);
      throw new DelayedError();
    });
    await input.add('gewe', { requestId: 'r3', appId: 'wx_3', v3: 'v3_3' }, { jobId: 'named-3' });
    await waitFor('the copy to wait', async () => (await (await copies.getJob('named-3'))?.getState()) === 'delayed', 10_000);
    // Without the hand-off queues the waker cannot find it: the intake job is completed.
    expect(await new JobWaker(input).wakeOrTell('named-3')).toBe('not-delayed');
    const waker = new JobWaker(input, handoffs);
    expect(await waker.wakeOrTell('named-3')).toBe('woken');
    // Woken, the GeWe worker runs it again at once (and here makes it wait once more).
    await waitFor('the woken copy to run again', () => runs === 2, 10_000);
    expect(await waker.wakeOrTell('never-added')).toBe('gone');
  });
});
