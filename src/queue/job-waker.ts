import type { Queue } from 'bullmq';
import { handedToOf, type HandoffQueues } from './handoff-queues.js';
import type { NextWaiter, WaiterQueue } from '../accounts/account-lock.js';

/**
 * Wakes a delayed input job early: the account it waits for was just released. Best effort: a
 * job that already woke, ended or vanished is fine to miss (it reports false). A job handed off
 * to its service's queue (src/queue/handoff-queues.ts) is woken there.
 */
export class JobWaker {
  constructor(
    private readonly input: Queue,
    private readonly handoffs?: HandoffQueues,
  ) {}

  async wake(jobId: string): Promise<boolean> {
    return (await this.wakeOrTell(jobId)) === 'woken';
  }

  /**
   * Like wake, but tells a job that is gone (ended and removed) from one that is just not waiting.
   * Reads two small fields of the job, not the job: the first waiter of a busy account is often
   * one that waits in its slot (AccountLocks.holdInLine), and its data is 1000 targets.
   */
  async wakeOrTell(jobId: string): Promise<'woken' | 'not-delayed' | 'gone'> {
    try {
      const queue = await this.queueOf(jobId);
      if (!queue) return 'gone';
      await queue.backend.promote(jobId);
      return 'woken';
    } catch {
      return 'not-delayed';
    }
  }

  /**
   * Wakes an account's first waiter as its lease's release found it (AccountLocks): one delayed in
   * the input queue is promoted at once, one in the queue but not delayed needs nothing, and any
   * other is looked for as wakeOrTell does.
   */
  async wakeWaiter(next: NextWaiter): Promise<'woken' | 'not-delayed' | 'gone'> {
    if (next.place === 'queued') return 'not-delayed';
    if (next.place !== 'delayed') return this.wakeOrTell(next.id);
    try {
      await this.input.backend.promote(next.id);
      return 'woken';
    } catch {
      return 'not-delayed';
    }
  }

  /** Where the input queue keeps its delayed jobs, for the locks' releases to look (lock-release.lua). */
  waiterQueue(): WaiterQueue {
    return { delayedKey: this.input.keys.delayed!, jobKeyPrefix: this.input.toKey('') };
  }

  /** The queue the job is in now (the intake, or the hand-off queue it was moved to), if it exists. */
  private async queueOf(jobId: string): Promise<Queue | undefined> {
    const [name, returnvalue] = await (await this.input.backend.client).hmget(this.input.toKey(jobId), 'name', 'returnvalue');
    if (name == null) return undefined;
    const handedTo = this.handoffs ? handedToOf({ returnvalue: parsedOrNull(returnvalue) }) : undefined;
    if (!handedTo) return this.input;
    const handoff = this.handoffs!.named(handedTo);
    const [there] = await (await handoff.backend.client).hmget(handoff.toKey(jobId), 'name');
    return there == null ? undefined : handoff;
  }
}

function parsedOrNull(json: string | null | undefined): unknown {
  try {
    return json == null ? null : JSON.parse(json);
  } catch {
    return null;
  }
}
