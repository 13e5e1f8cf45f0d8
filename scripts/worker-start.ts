/**
 * `npx tsx scripts/worker-start.ts [--runs 7] [--root DIR]`: how long a worker takes from spawn to the first job
 * it takes, started as the image used to start it (TypeScript through tsx, with and without tsx's
 * transform cache) and as it starts now (compiled JavaScript, directly and through `npm run worker`).
 * Run `npm run build` first. `--root` runs the workers from a copy of the repository (with its own
 * dist/ and a symlink to node_modules): there, nobody's edits make `npm run worker` rebuild midway.
 * Prints a JSON report; docs/benchmarks.md has the numbers.
 *
 * Each run: a fresh key prefix with one `gewe` job waiting, the worker spawned, and the job's
 * `processedOn` (the worker's own clock as it moved the job to active) less the spawn time. The
 * worker is then killed and the prefix deleted. Beside the wall time, the CPU time its process group
 * spent until then (a loaded machine stretches the wall time; the CPU time much less). Modes take turns, so load drifts hit them alike.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { createRedis } from '../src/lib/redis.js';
import type { RedisClient } from '../src/lib/redis-client.js';
import { INPUT_QUEUE } from '../src/queue/names.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Mode {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

const MODES: Mode[] = [
  {
    name: 'tsx, cold cache (before: a new container)',
    command: process.execPath,
    args: ['--import', 'tsx', 'workers/worker.ts'],
    env: { TSX_DISABLE_CACHE: '1' },
  },
  { name: 'tsx, warm cache (before: a restart)', command: process.execPath, args: ['--import', 'tsx', 'workers/worker.ts'] },
  { name: 'node dist/ (after: the image)', command: process.execPath, args: ['dist/workers/worker.js'] },
  { name: 'npm run worker (after: freshness check, then node dist/)', command: 'npm', args: ['run', '--silent', 'worker'] },
];

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, root: { type: 'string' } }, strict: true });
const runs = Number(values.runs);
const ROOT = values.root ?? fileURLToPath(new URL('..', import.meta.url));

async function deletePrefix(redis: RedisClient, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await (redis as import('ioredis').Redis).scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) await redis.unlink(key);
  } while (cursor !== '0');
}

/**
 * CPU time (user + system, and that of children already reaped) of every process in a group, in
 * ms, from /proc: the work a start took, which a loaded machine stretches less than the wall time.
 */
function groupCpuMs(pgid: number): number {
  const tick = 10; // USER_HZ is 100 on Linux
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * tick;
  }
  return total;
}

async function once(redis: RedisClient, mode: Mode, run: number): Promise<{ firstJobMs: number; cpuMs: number; startedLogMs: number | null }> {
  const prefix = `fabench-start-${process.pid}-${run}-${MODES.indexOf(mode)}`;
  const queue = new Queue(INPUT_QUEUE, { connection: redis, prefix });
  const job = await queue.add('gewe', { requestId: `start-${run}`, appId: 'wx_start', scene: 3, option: 2, v3: 'v3_ok_start', v4: 'v4_ok', content: 'hi' });
  // A warm-up of the tools each mode leans on is not ours to give: every run spawns from nothing.
  const spawnedAt = Date.now();
  // A process group of its own: `npm run` starts the worker as a grandchild, and the kill below
  // must reach it too.
  const child = spawn(mode.command, mode.args, {
    detached: true,
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      PROVIDERS: 'gewe',
      GEWE_TOKEN: 'start-bench-token',
      // Nothing listens there: the call fails after the job is taken, which is all this measures.
      GEWE_BASE_URL: 'http://127.0.0.1:9',
      ...mode.env,
    },
  });
  let startedLogMs: number | null = null;
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    if (startedLogMs === null && output.includes('"worker started"')) startedLogMs = Date.now() - spawnedAt;
  });
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  let processedOn: number | undefined;
  while (processedOn === undefined) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${mode.name}: no job taken: ${output.slice(-1500)}`);
    await new Promise((r) => setTimeout(r, 20));
    processedOn = (await queue.getJob(job.id!))?.processedOn ?? undefined;
  }
  // Read as the job is seen taken (up to 20 ms later): the start's work, not what follows it.
  const cpuMs = groupCpuMs(child.pid!);
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
  await queue.close();
  await deletePrefix(redis, prefix);
  return { firstJobMs: processedOn - spawnedAt, cpuMs, startedLogMs };
}

const redis = createRedis(REDIS_URL);
const samples = new Map<string, { firstJobMs: number[]; cpuMs: number[]; startedLogMs: number[] }>(
  MODES.map((m) => [m.name, { firstJobMs: [], cpuMs: [], startedLogMs: [] }]),
);
const loadBefore = loadavg();
for (let run = 0; run < runs; run += 1) {
  for (const mode of MODES) {
    const sample = await once(redis, mode, run);
    samples.get(mode.name)!.firstJobMs.push(sample.firstJobMs);
    samples.get(mode.name)!.cpuMs.push(sample.cpuMs);
    if (sample.startedLogMs !== null) samples.get(mode.name)!.startedLogMs.push(sample.startedLogMs);
    process.stderr.write(`${mode.name}: ${sample.firstJobMs} ms, CPU ${sample.cpuMs} ms\n`);
  }
}
redis.disconnect();

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const report = {
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  loadavgBefore: loadBefore.map((x) => Number(x.toFixed(2))),
  loadavgAfter: loadavg().map((x) => Number(x.toFixed(2))),
  runs,
  root: ROOT,
  modes: [...samples].map(([name, s]) => ({
    name,
    firstJobMs: { median: median(s.firstJobMs), min: Math.min(...s.firstJobMs), max: Math.max(...s.firstJobMs), all: s.firstJobMs },
    cpuMs: { median: median(s.cpuMs), min: Math.min(...s.cpuMs), max: Math.max(...s.cpuMs), all: s.cpuMs },
    startedLogMedianMs: s.startedLogMs.length ? median(s.startedLogMs) : null,
  })),
};
console.log(JSON.stringify(report, null, 2));
