import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountLocks, type Lease } from '../../src/accounts/account-lock.js';
import { JobWaker } from '../../src/queue/job-waker.js';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import { useRedisPrefix } from '../helpers/redis-prefix.js';
import { waitFor } from '../helpers/wait-for.js';

/** A lease's release says where its first waiter's job is, and the waker acts on that alone. */
describe('waking an account’s first waiter', () => {
  const ctx = useRedisPrefix('job-waker');
  let input: Queue;
  let waker: JobWaker;
  let locks: AccountLocks;

  beforeAll(() => {
    input = new Queue(INPUT_QUEUE, { connection: ctx.redis, prefix: ctx.prefix });
    waker = new JobWaker(input);
    locks = new AccountLocks(ctx.redis, ctx.keys, 5000, undefined, waker.waiterQueue());
  });

  afterAll(async () => {
    await input.close();
  });

  /** `waiter` joins the line of an account held by another job; the holder lets go. */
  const releaseBefore = async (account: string, waiter: string) => {
    const held = (await locks.acquire('tim', account, 'holder')) as Lease;
    expect(await locks.acquire('tim', account, waiter)).toEqual({ rank: 0 });
    return held.release();
  };

  it('a delayed waiter: named `delayed`, and promoted without looking it up first', async () => {
    await input.add('tim', { requestId: 'r1' }, { jobId: 'w-delayed', delay: 3_600_000 });
    const next = await releaseBefore('a1', 'w-delayed');
    expect(next).toEqual({ id: 'w-delayed', place: 'delayed' });
    expect(await waker.wakeWaiter(next!)).toBe('woken');
    expect(await (await input.getJob('w-delayed'))!.getState()).toBe('waiting');
  });

  it('a waiter whose job is in the queue but not delayed (running, holding its slot, waiting its turn): `queued`, left as it is', async () => {
    await input.add('tim', { requestId: 'r2' }, { jobId: 'w-queued' });
    const next = await releaseBefore('a2', 'w-queued');
    expect(next).toEqual({ id: 'w-queued', place: 'queued' });
    expect(await waker.wakeWaiter(next!)).toBe('not-delayed');
    expect(await (await input.getJob('w-queued'))!.getState()).toBe('waiting');
  });

  it('a waiter whose job ended or is gone: `elsewhere`, and looked for as before', async () => {
    const gone = await releaseBefore('a3', 'never-added');
    expect(gone).toEqual({ id: 'never-added', place: 'elsewhere' });
    expect(await waker.wakeWaiter(gone!)).toBe('gone');

    await input.add('tim', { requestId: 'r4' }, { jobId: 'w-ended' });
    // The worker completes whatever waits (the earlier tests' jobs too).
    const worker = new Worker(INPUT_QUEUE, async () => 'done', { connection: ctx.redis, prefix: ctx.prefix });
    await waitFor('the job to complete', async () => (await (await input.getJob('w-ended'))?.getState()) === 'completed', 10_000);
    await worker.close();
    const ended = await releaseBefore('a4', 'w-ended');
    expect(ended).toEqual({ id: 'w-ended', place: 'elsewhere' });
    expect(await waker.wakeWaiter(ended!)).toBe('not-delayed');
  });
});
