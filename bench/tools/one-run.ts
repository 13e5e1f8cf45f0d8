import { runTimBacklog } from '../scenarios/tim-throughput.js';
import { connectRedis } from '../lib/redis.js';
const r = connectRedis();
const stats = async () =>
  Object.fromEntries(
    (await r.info('commandstats'))
      .split('\n')
      .filter((l) => l.startsWith('cmdstat_'))
      .map((l) => {
        const [k, v] = l.split(':');
        const m = Object.fromEntries(
          v!
            .trim()
            .split(',')
            .map((x) => x.split('=')),
        );
        return [k!.slice(8), { calls: Number(m.calls), usec: Number(m.usec) }];
      }),
  );
const before = await stats();
const workers = Number(process.argv[2] ?? 2);
const run = await runTimBacklog({ quick: false, shared: new Map() }, workers, 1000);
const after = await stats();
const diff = Object.entries(after)
  .map(([k, v]) => [k, v.calls - (before[k]?.calls ?? 0), v.usec - (before[k]?.usec ?? 0)] as const)
  .filter(([, c]) => c > 0)
  .sort((a, b) => b[2] - a[2])
  .slice(0, 14);
console.log(
  JSON.stringify({
    ratio: run.ratio,
    targetsRatio: run.targetsRatio,
    cpu: run.cpuMsPerCall,
    passes: run.passesPerJob,
    calls: run.calls,
    load: (await import('node:os')).loadavg(),
  }),
);
for (const [k, c, u] of diff)
  console.log(
    k.padEnd(22),
    String(c).padStart(8),
    'calls',
    (u / 1000).toFixed(0).padStart(7),
    'ms',
    (u / c).toFixed(1).padStart(8),
    'us/call',
    (u / 1000 / run.calls).toFixed(3),
    'ms per TIM call',
  );
r.disconnect();
