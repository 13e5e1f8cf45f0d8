/**
 * A preload for a worker the bench starts, to see what its garbage costs and where its RSS is:
 * `BENCH_WORKER_NODE_ARGS="--import=./bench/tools/gc-and-memory.mjs"`. Each worker writes
 * `<tmpdir>/gc-memory-<pid>.json` as it exits (the bench hands its workers no environment of its
 * own, so the place is the system's temporary directory): its collections by kind (count and
 * main-thread ms, from V8's own GC entries), its CPU, and `process.memoryUsage()` with V8's space
 * sizes every 500 ms. Plain JavaScript: the workers run compiled, without tsx.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

const dir = tmpdir();
const KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
const collections = {};
const samples = [];
const mb = (bytes) => Math.round(bytes / 1e5) / 10;

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = KINDS[entry.detail?.kind] ?? String(entry.detail?.kind);
    collections[kind] ??= { count: 0, ms: 0 };
    collections[kind].count += 1;
    collections[kind].ms += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });

setInterval(() => {
  const m = process.memoryUsage();
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_size)]));
  samples.push({
    s: Math.round(process.uptime() * 10) / 10,
    rss: mb(m.rss),
    heapTotal: mb(m.heapTotal),
    heapUsed: mb(m.heapUsed),
    external: mb(m.external),
    spaces,
  });
}, 500).unref();

let written = false;
function write() {
  if (written) return;
  written = true;
  const cpu = process.cpuUsage();
  writeFileSync(`${dir}/gc-memory-${process.pid}.json`, JSON.stringify({ collections, cpuMs: (cpu.user + cpu.system) / 1000, samples }));
}
process.on('exit', write);
// The worker's own SIGTERM handler drains and exits; this only writes first.
for (const signal of ['SIGTERM', 'SIGINT']) process.prependListener(signal, write);
