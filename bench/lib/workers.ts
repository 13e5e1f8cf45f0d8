import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeChild, ROOT } from './child.js';
import { log } from './log.js';
import { REDIS_URL } from './redis.js';
import type { Scope } from './scope.js';

export interface WorkerEntry {
  /** What the workers run: `dist/workers/worker.js` (as production) or `workers/worker.ts` (tsx). */
  entry: string;
  tsx: boolean;
  /** Why the compiled entry was not used, when it was not. */
  why?: string;
  /** Node's flags for it: ours get what `npm run worker` gives a worker (productionLaunch). */
  nodeFlags?: string[];
  /** What `npm run worker` sets in the environment before node starts (glibc's malloc settings, read only at a process's start; productionLaunch). */
  env?: Record<string, string>;
}

let chosen: WorkerEntry | undefined;

/**
 * The worker the bench runs: compiled JavaScript, as `npm run worker` and the image run it, after
 * `scripts/build.mjs --if-stale` (what `npm run worker` runs first). BENCH_WORKER=tsx runs the
 * TypeScript sources through tsx instead; so does a failed build, and the report says why.
 */
export function workerEntry(): WorkerEntry {
  if (chosen) return chosen;
  chosen = pickWorkerEntry();
  return chosen;
}

function pickWorkerEntry(): WorkerEntry {
  const { nodeFlags, env } = productionLaunch();
  if (process.env.BENCH_WORKER === 'tsx') return { entry: 'workers/worker.ts', tsx: true, why: 'BENCH_WORKER=tsx', nodeFlags, env };
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (r.status === 0) return { entry: 'dist/workers/worker.js', tsx: false, nodeFlags, env };
  const why = `build failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().slice(-300)}`;
  log(`workers run through tsx: ${why}`);
  return { entry: 'workers/worker.ts', tsx: true, why, nodeFlags, env };
}

/** How `npm run worker` (package.json) starts node: the environment it sets first, and node's flags before the entry. */
export interface ProductionLaunch {
  env: Record<string, string>;
  nodeFlags: string[];
}

/** `NAME=value ... node <flags> <entry>`, as package.json's worker script reads. */
export function productionLaunch(): ProductionLaunch {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = scripts.worker!.split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? '')) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  if (words[0] !== 'node') throw new Error(`package.json's worker script does not start with node: ${scripts.worker}`);
  return { env, nodeFlags: words.slice(1, -1) };
}

/**
 * Real worker processes, started as production starts them (workerEntry(), with node's flags and
 * the environment from `npm run worker`), at the default
 * LOG_LEVEL (info: one line per call), their output drained and dropped (or watched: onLine).
 * `extraNodeArgs`: flags for node, such as the soak's GC trace. `worker`: another entry than ours
 * (the reference commit's, reference-tree.ts).
 */
export function spawnWorkers(
  scope: Scope,
  count: number,
  env: Record<string, string>,
  extraNodeArgs: string[] = [],
  worker: WorkerEntry = workerEntry(),
): Promise<NodeChild<true>[]> {
  const full = { ...worker.env, REDIS_URL, QUEUE_PREFIX: scope.prefix, LOG_LEVEL: 'info', ...env };
  const ready = (line: string) => (line.includes('"worker started"') ? (true as const) : undefined);
  // For a closer look at a worker: BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = [...(worker.nodeFlags ?? []), ...extraNodeArgs, ...(process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  const { entry, tsx } = worker;
  return Promise.all(
    Array.from({ length: count }, (_, i) => scope.start(NodeChild.start({ label: `worker ${i + 1}`, entry, tsx, env: full, ready, nodeArgs }))),
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
export function sampleRss(pid: number, everyMs = 250): { stop(): RssSample[]; elapsedMs(): number } {
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
    /** Now on the samples' clock (ms since sampling began). */
    elapsedMs: () => Date.now() - started,
  };
}
