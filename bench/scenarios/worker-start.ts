import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import { ROOT } from '../lib/child.js';
import { log, sleep } from '../lib/log.js';
import { REDIS_URL } from '../lib/redis.js';
import { inScope, type Scope } from '../lib/scope.js';
import { median } from '../lib/stats.js';
import { productionLaunch } from '../lib/workers.js';
import type { BenchContext, ScenarioReport } from '../lib/types.js';
import { atMost, holds, reported, verdict } from '../lib/verdicts.js';

/**
 * Spawn to first job, the way scripts/worker-start.ts measures it (the operators' issue): a fresh
 * prefix with one `gewe` job waiting, the worker spawned in a process group of its own, and the
 * job's `processedOn` (the worker's clock as it moved the job to active) less the spawn time. The
 * worker is then killed. Beside the wall time, the CPU its process group spent until then (a loaded
 * machine stretches the wall time, the CPU time much less). Modes take turns, so load drifts hit
 * them alike.
 */
interface Mode {
  name: string;
  args: string[];
  env?: Record<string, string>;
}

/** What the operators' issue recorded with scripts/worker-start.ts (docs/benchmarks.md, "Worker start"). */
const OPERATORS_RECORD = 'scripts/worker-start.ts, 2026-12-02 14:33 UTC, load 7–15: node dist/ 4.2 s wall, 1.38 s CPU; tsx cold 6.9 s, 3.41 s CPU';
const COMPILED = 'node dist/workers/worker.js (production: npm run worker, the image)';
const TSX_WARM = "node --import tsx workers/worker.ts, warm cache (the bench's workers)";
const TSX_COLD = 'node --import tsx workers/worker.ts, cold cache (the image before dist/)';
const LAUNCH = productionLaunch();
const MODES: Mode[] = [
  { name: COMPILED, args: [...LAUNCH.nodeFlags, 'dist/workers/worker.js'], env: LAUNCH.env },
  { name: TSX_WARM, args: ['--import', 'tsx', 'workers/worker.ts'] },
  { name: TSX_COLD, args: ['--import', 'tsx', 'workers/worker.ts'], env: { TSX_DISABLE_CACHE: '1' } },
];

/** User + system CPU of every process in a group (and its reaped children), in ms. */
function groupCpuMs(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10;
  }
  return total;
}

async function once(scope: Scope, mode: Mode, run: number): Promise<{ firstJobMs: number; cpuMs: number }> {
  // One queue name per run under the scope's prefix: each run starts from one waiting job.
  const prefix = `${scope.prefix}-${run}-${MODES.indexOf(mode)}`;
  const queue = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix });
  try {
    const job = await queue.add('gewe', { requestId: `start-${run}`, appId: 'wx_start', scene: 3, option: 2, v3: 'v3_ok_start', v4: 'v4_ok', content: 'hi' });
    const spawnedAt = Date.now();
    const child = spawn(process.execPath, mode.args, {
      detached: true,
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        PROVIDERS: 'gewe',
        GEWE_TOKEN: 'start-bench-token',
        // Nothing listens there: the call fails after the job is taken, which is all this measures.
        GEWE_BASE_URL: 'http://127.0.0.1:9',
        LOG_LEVEL: 'warn',
        ...mode.env,
      },
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-1500)));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const deadline = Date.now() + 60_000;
      let processedOn: number | undefined;
      while (processedOn === undefined) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${mode.name}: no job taken: ${stderr}`);
        await sleep(10);
        processedOn = (await queue.getJob(job.id!))?.processedOn ?? undefined;
      }
      return { firstJobMs: processedOn - spawnedAt, cpuMs: groupCpuMs(child.pid!) };
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      await exited;
    }
  } finally {
    await queue.close();
    // The scope deletes `<prefix>:*`; these prefixes extend it, so delete them here.
    let cursor = '0';
    do {
      const [next, keys] = await scope.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await scope.redis.unlink(...keys);
    } while (cursor !== '0');
  }
}

/** Brings dist/ up to date as `npm run worker` does before it starts (build.mjs --if-stale). */
function buildIfStale(): string | undefined {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  return r.status === 0 ? undefined : `build failed (${r.status}): ${(r.stderr || r.stdout || '').slice(-500)}`;
}

export async function workerStart(ctx: BenchContext): Promise<ScenarioReport> {
  // Quick: the production start and the one it replaced, twice each (about 10 s on a quiet machine).
  const runs = ctx.quick ? 2 : 5;
  const buildProblem = buildIfStale();
  const modes = MODES.filter((m) => !(buildProblem && m.name === COMPILED) && !(ctx.quick && m.name === TSX_WARM));
  return inScope('start', async (scope) => {
    const samples = new Map<string, { firstJobMs: number[]; cpuMs: number[] }>(modes.map((m) => [m.name, { firstJobMs: [], cpuMs: [] }]));
    for (let run = 0; run < runs; run++) {
      for (const mode of modes) {
        const s = await once(scope, mode, run);
        samples.get(mode.name)!.firstJobMs.push(s.firstJobMs);
        samples.get(mode.name)!.cpuMs.push(s.cpuMs);
        log(`worker-start ${mode.name}: ${s.firstJobMs} ms, CPU ${s.cpuMs} ms`);
      }
    }
    const figures = Object.fromEntries(
      [...samples].map(([name, s]) => [
        name,
        { firstJobMsMedian: median(s.firstJobMs), firstJobMs: s.firstJobMs, cpuMsMedian: median(s.cpuMs), cpuMs: s.cpuMs },
      ]),
    );
    const compiled = figures[COMPILED];
    const warm = figures[TSX_WARM];
    const cold = figures[TSX_COLD]!;
    const subject = `spawn to first job, median of ${runs}`;
    const checks = [
      holds({ subject: 'dist/ built', figure: 'scripts/build.mjs --if-stale', measured: buildProblem ?? 'up to date' }, buildProblem === undefined, 'builds'),
      atMost(
        {
          subject,
          figure: 'node dist/ (ms)',
          fmt: (v) => `${v} ms`,
          detail: compiled ? ` (CPU ${compiled.cpuMsMedian} ms)` : '',
          beside: `anchor, same run: tsx cold cache ${cold.firstJobMsMedian} ms (CPU ${cold.cpuMsMedian} ms)`,
        },
        compiled?.firstJobMsMedian,
        cold.firstJobMsMedian,
        `≤ tsx cold (${cold.firstJobMsMedian} ms)`,
      ),
      ...(warm
        ? [reported({ subject, figure: 'tsx, warm cache (ms)', fmt: (v) => `${v} ms`, detail: ` (CPU ${warm.cpuMsMedian} ms)` }, warm.firstJobMsMedian)]
        : []),
      reported({ subject, figure: 'node dist/, CPU (ms)', fmt: (v) => `${v} ms`, beside: `reference: ${OPERATORS_RECORD}` }, compiled?.cpuMsMedian),
    ];
    const v = verdict(checks);
    return {
      name: 'worker-start',
      setup: `${runs} runs of each mode in turn: one gewe job waiting on a fresh prefix, the worker spawned (its own process group, LOG_LEVEL warn), first job = the job's processedOn − spawn time; CPU = user + system of its process group until then`,
      modes: figures,
      anchors: { tsxColdFirstJobMsMedian: cold.firstJobMsMedian, ...(warm && { tsxWarmFirstJobMsMedian: warm.firstJobMsMedian }) },
      references: { operatorsIssue: OPERATORS_RECORD },
      checks,
      goal: 'the production start (node dist/) takes its first job no later than the tsx start it replaced (cold cache), in the same run',
      goalMet: v.goalMet,
      ...(v.failed.length && { notes: v.failed }),
    };
  });
}
