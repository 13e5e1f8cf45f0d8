import { readFileSync } from 'node:fs';
import { NodeChild } from './child.js';
import { REDIS_URL } from './redis.js';
import type { Scope } from './scope.js';

/**
 * Real worker processes, started as production starts them (workers/worker.ts), at the default
 * LOG_LEVEL (info: one line per call), their output drained and dropped.
 */
export function spawnWorkers(scope: Scope, count: number, env: Record<string, string>): Promise<NodeChild<true>[]> {
  const full = { REDIS_URL, QUEUE_PREFIX: scope.prefix, LOG_LEVEL: 'info', ...env };
  const ready = (line: string) => (line.includes('"worker started"') ? (true as const) : undefined);
  // For a closer look at a worker: BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean);
  return Promise.all(
    Array.from({ length: count }, (_, i) => scope.start(NodeChild.start({ label: `worker ${i + 1}`, entry: 'workers/worker.ts', env: full, ready, nodeArgs }))),
  );
}

/** VmRSS of a process, in MB; undefined once it has exited. */
export function rssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export interface RssSample {
  /** ms since sampling began */
  t: number;
  mb: number;
}

/** Samples a process's RSS every `everyMs`; `stop` returns the samples. */
export function sampleRss(pid: number, everyMs = 250): { stop(): RssSample[] } {
  const started = Date.now();
  const samples: RssSample[] = [];
  const take = () => {
    const mb = rssMb(pid);
    if (mb !== undefined) samples.push({ t: Date.now() - started, mb });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
