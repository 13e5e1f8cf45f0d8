/**
 * `npx tsx bench/tools/redis-time.ts [workers]`: one full-batch run (as one-run.ts), with Redis's
 * own time per command and per Lua script, from SLOWLOG at a threshold of 0, per TIM call. Scripts
 * are named by hashing ours (every `.lua` under src/) and BullMQ's (its dist/cjs/scripts). This is
 * how the seventh sitting found that recording a call was most of Redis's work.
 *
 * It resets the server's slow log and changes two of its settings for the run (restored after):
 * run it on a Redis of your own. SLOWLOG's timing adds its own cost: read the shares.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runTimBacklog } from '../scenarios/tim-throughput.js';
import { ROOT } from '../lib/child.js';
import { connectRedis } from '../lib/redis.js';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** Every Lua script the workers may run, by SHA1: ours by file, BullMQ's by name. */
function scriptNames(): Map<string, string> {
  const names = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.lua')) names.set(sha1(readFileSync(path, 'utf8')), entry.name);
    }
  };
  walk(join(ROOT, 'src'));
  const require = createRequire(join(ROOT, 'package.json'));
  const dir = join(ROOT, 'node_modules/bullmq/dist/cjs/scripts');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'index.js')) {
    for (const script of Object.values(require(join(dir, file)) as Record<string, { name?: string; content?: string }>)) {
      if (script?.content && script.name) names.set(sha1(script.content), `bullmq:${script.name}`);
    }
  }
  return names;
}

const redis = connectRedis();
const setting = async (name: string) => ((await redis.config('GET', name)) as string[])[1]!;
const saved = { threshold: await setting('slowlog-log-slower-than'), length: await setting('slowlog-max-len') };
await redis.config('SET', 'slowlog-max-len', '1000000');
await redis.slowlog('RESET');
await redis.config('SET', 'slowlog-log-slower-than', '0');
let calls = 0;
try {
  const run = await runTimBacklog({ quick: false, shared: new Map() }, Number(process.argv[2] ?? 2), 1000);
  calls = run.calls;
} finally {
  await redis.config('SET', 'slowlog-log-slower-than', saved.threshold);
}
const names = scriptNames();
const entries = (await redis.slowlog('GET', 1_000_000)) as [number, number, number, (string | Buffer)[]][];
await redis.config('SET', 'slowlog-max-len', saved.length);
const spent = new Map<string, { count: number; us: number }>();
for (const [, , us, args] of entries) {
  const command = String(args[0]).toLowerCase();
  const name = command === 'evalsha' ? (names.get(String(args[1])) ?? `script ${String(args[1]).slice(0, 8)}`) : command;
  const line = spent.get(name) ?? { count: 0, us: 0 };
  line.count++;
  line.us += us;
  spent.set(name, line);
}
console.log(`${calls} TIM calls; Redis's time by command or script, ms per call (SLOWLOG, µs each):`);
for (const [name, { count, us }] of [...spent].sort((a, b) => b[1].us - a[1].us).slice(0, 20)) {
  console.log(`${(us / 1000 / calls).toFixed(3).padStart(8)}  ${String(count).padStart(8)} × ${(us / count).toFixed(0).padStart(6)} µs  ${name}`);
}
redis.disconnect();
