import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-client.js';

interface Waiting {
  command: string;
  args: readonly (string | number | Buffer)[];
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * Sends the commands a process issues on one connection in one turn of the event loop as one
 * pipeline: one socket write where there was one per command. With 50 jobs in flight a worker's
 * steps come in bursts (a read from Redis settles many of them at once, and each goes on to its
 * next command). Each write wakes Redis for a read and a reply of its own, and Redis serves every
 * worker of a fleet from one thread: batched, it spent 5 % less a call; the worker's own CPU moved
 * less than the noise (docs/benchmarks.md, eighteenth sitting).
 *
 * Not ioredis's `enableAutoPipelining`: that holds a turn's commands while an earlier pipeline of
 * the connection still waits for replies, so after a disconnect, whose dropped commands end only
 * at their timeout, commands issued before or during the outage could go out to the Redis that
 * came back. A command here leaves in the turn after it was issued, or fails as any other would
 * (connectForState: no offline queue, no resend), and never waits on another's reply.
 */
export class TurnPipeline {
  private waiting: Waiting[] = [];

  constructor(private readonly redis: RedisClient) {}

  send(command: string, args: readonly (string | number | Buffer)[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ command, args, resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 1) {
      const [only] = batch as [Waiting];
      this.redis.call(only.command, ...only.args).then(only.resolve, only.reject);
      return;
    }
    const pipeline = this.redis.pipeline();
    for (const w of batch) pipeline.call(w.command, ...w.args);
    pipeline.exec().then(
      (replies) => {
        for (const [i, w] of batch.entries()) {
          const [err, result] = replies?.[i] ?? [new Error('Redis pipeline lost its reply')];
          if (err) w.reject(err);
          else w.resolve(result);
        }
      },
      (err: Error) => {
        for (const w of batch) w.reject(err);
      },
    );
  }
}

const pipelines = new WeakMap<RedisClient, TurnPipeline>();

/**
 * From now on, the commands sent on `redis` through `sendCommand` go out a turn at a time. Not on
 * a cluster: a pipeline there must keep to one node, and a turn's commands need not.
 */
export function pipelineEachTurn(redis: RedisClient): void {
  if (!(redis instanceof Cluster)) pipelines.set(redis, new TurnPipeline(redis));
}

/** Sends one command: in its turn's pipeline if the connection has one, on its own otherwise. */
export function sendCommand(redis: RedisClient, command: string, args: readonly (string | number | Buffer)[]): Promise<unknown> {
  const pipeline = pipelines.get(redis);
  return pipeline ? pipeline.send(command, args) : redis.call(command, ...args);
}
