import type { Redis } from 'ioredis';
import type { NodeChild } from './child.js';
import { log } from './log.js';
import { benchPrefix, connectRedis, deletePrefix } from './redis.js';

const open = new Set<Scope>();

/**
 * One scenario run's world: its own key prefix on the real Redis, and the processes it started.
 * `close` stops them all and deletes the prefix, whatever happened; SIGINT closes every open scope.
 */
export class Scope {
  readonly prefix: string;
  readonly redis: Redis;
  private readonly children: NodeChild[] = [];
  private readonly closers: (() => Promise<unknown>)[] = [];
  private closed: Promise<void> | undefined;

  constructor(label: string) {
    this.prefix = benchPrefix(label);
    this.redis = connectRedis();
    open.add(this);
  }

  /** Starts a child and stops it with the scope. */
  async start<T>(child: Promise<NodeChild<T>>): Promise<NodeChild<T>> {
    const started = await child;
    this.children.push(started as NodeChild);
    return started;
  }

  /** Runs at close, before the prefix is deleted (queues, clients...). */
  onClose(fn: () => Promise<unknown>): void {
    this.closers.push(fn);
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await Promise.all(this.children.map((c) => c.stop().catch(() => undefined)));
      for (const fn of this.closers.reverse()) await fn().catch((err: unknown) => log('close step failed:', String(err)));
      const deleted = await deletePrefix(this.redis, this.prefix);
      log(`deleted ${deleted} keys under ${this.prefix}`);
      this.redis.disconnect();
      open.delete(this);
    })();
    return this.closed;
  }
}

/** Runs `fn` in a fresh scope and closes it after, even when `fn` throws. */
export async function inScope<T>(label: string, fn: (scope: Scope) => Promise<T>): Promise<T> {
  const scope = new Scope(label);
  try {
    return await fn(scope);
  } finally {
    await scope.close();
  }
}

export async function closeOpenScopes(): Promise<void> {
  await Promise.all([...open].map((s) => s.close().catch(() => undefined)));
}
