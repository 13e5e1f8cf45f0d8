/**
 * `npx tsx scripts/bench-table.ts bench.json`: prints the report of `npm run bench` as the
 * markdown table of docs/benchmarks.md: every figure beside its anchor and its goal.
 */
import { readFileSync } from 'node:fs';

/** A report read back from disk: loosely typed on purpose, every figure is printed as found. */
type Json = Record<string, any>;
const input = process.argv[2];
if (!input) {
  process.stderr.write('usage: tsx scripts/bench-table.ts bench.json\n');
  process.exit(2);
}
const report = JSON.parse(readFileSync(input, 'utf8')) as { scenarios: Json[] };
const byName = (name: string): Json | undefined => report.scenarios.find((s) => s.name === name);
const rows: string[][] = [];
const met = (ok: boolean | undefined) => (ok === undefined ? '–' : ok ? 'met' : '**not met**');
const n = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v ?? '–'));
const refused = (r: Record<string, number> | undefined) => (r && Object.keys(r).length ? ` (refused ${Object.entries(r).map(([c, k]) => `${k}× ${c}`).join(', ')})` : '');

const tim = byName('tim-throughput');
const anchors = (byName('tim-limiter-anchors')?.anchors ?? {}) as Record<string, Json>;
const anchorText = (key: 'ratio' | 'maxInSlidingSecond') =>
  Object.entries(anchors).map(([name, a]) => `${name}: ${n(a[key])}${key === 'maxInSlidingSecond' ? refused(a.refused) : ''}`).join('; ') || '–';
for (const r of (tim?.callsBoundRuns ?? []) as Json[]) {
  const w = `${r.workers} worker${r.workers > 1 ? 's' : ''}`;
  rows.push([`tim-throughput, calls-bound (1-target calls), ${w}`, 'calls/s ÷ limit', `${n(r.ratio)} (${n(r.callsPerSec)} calls/s)`, `gate ceiling at 25 ms margin ${n(tim?.anchors?.gateCeilingAt25msMargin)}`, '≥ 0.97', met(r.ratio >= 0.97)]);
  rows.push([`tim-throughput, calls-bound (1-target calls), ${w}`, 'most calls in a sliding second', `${n(r.maxInSlidingSecond)}${refused(r.refused)}`, '–', '≤ 100', met(r.maxInSlidingSecond <= 100)]);
}
for (const r of (tim?.runs ?? []) as Json[]) {
  const w = `${r.workers} worker${r.workers > 1 ? 's' : ''}`;
  rows.push([`tim-throughput, full batches, ${w}`, 'calls/s ÷ limit', `${n(r.ratio)} (${n(r.callsPerSec)} calls/s)`, r.workers === 2 ? anchorText('ratio') : '–', '(reported)', '–']);
  rows.push([`tim-throughput, full batches, ${w}`, 'most calls in a sliding second', `${n(r.maxInSlidingSecond)}${refused(r.refused)}`, r.workers === 2 ? anchorText('maxInSlidingSecond') : '–', '≤ 100', met(r.maxInSlidingSecond <= 100)]);
  if (r.workers === 2) {
    rows.push([`tim-throughput, full batches, ${w}`, 'targets/s ÷ (limit × 1000); results', `${n(r.targetsRatio)} (${n(r.targetsPerSec)}/s); ${n(r.results)} of ${n(r.expectedResults)}`, '–', '≥ 0.9; all', met(r.targetsRatio >= 0.9 && r.results === r.expectedResults)]);
  }
}

const o = byName('tim-overhead');
if (o) rows.push(['tim-overhead', 'pipeline calls/s ÷ raw axios calls/s', `${n(o.ratio)} (${n(o.pipelineCallsPerSec)} calls/s)`, `raw axios loop: ${n(o.anchors.rawAxiosCallsPerSec)} calls/s`, '≥ 0.5', met(o.goalMet)]);

const g = byName('gewe-fairness');
if (g) {
  rows.push(['gewe-fairness', 'wall ÷ ideal', `${n(g.wallRatio)} (${n(g.wallMs)} ms)`, `ideal ${n(g.idealMs)} ms`, '≤ 1.3', met(g.wallRatio <= 1.3)]);
  rows.push(['gewe-fairness', 'least spacing per account at arrival', `${n(g.leastSpacingMs)} ms`, `I − 20 ms = ${n(g.anchors.leastSpacingFloorMs)} ms`, '≥ 980 ms', met(g.leastSpacingMs >= g.anchors.leastSpacingFloorMs)]);
}

const e = byName('enqueue');
if (e) {
  rows.push(['enqueue', 'library, 1000-target requests', `${n(e.libraryTargetsPerSec)} targets/s`, `plain addBulk: ${n(e.anchors.plainAddBulkTargetsPerSec)} targets/s`, '≥ 100,000 targets/s', met(e.goalMet)]);
  rows.push(['enqueue', 'HTTP API, 1000-target requests', `${n(e.apiTargetsPerSec)} targets/s`, `library: ${n(e.libraryTargetsPerSec)}`, '–', '–']);
  rows.push(['enqueue', 'library, one-target requests', `${n(e.oneTargetLibraryJobsPerSec)} jobs/s`, `plain addBulk: ${n(e.anchors.plainAddBulkOneTargetJobsPerSec)} jobs/s`, '–', '–']);
}

const s = byName('soak');
if (s) {
  rows.push(['soak', 'worker peak RSS; second-half growth', `${n(s.rss.peakMB)} MB; ${n(s.rss.secondHalfGrowthMB)} MB`, `tolerance ${n(s.rss.flatToleranceMB)} MB`, '< 250 MB, flat', met(s.rss.peakMB < 250 && s.rss.flat !== false)]);
  rows.push(['soak', 'results: missing, duplicated', `${n(s.missing)}, ${n(s.duplicated)} of ${n(s.targets)} (${n(s.targetsPerSec)} targets/s)`, '–', '0, 0', met(s.missing === 0 && s.duplicated === 0)]);
}

const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
const table = (header: string[], body: string[][]) => [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');

/** Where the CPU goes: ms per provider call in each process group, and passes per job. */
const cost: string[][] = [];
const cpu = (c: Record<string, number> | undefined) => (c ? Object.entries(c).map(([k, v]) => `${k} ${n(v)}`).join(', ') : '–');
for (const r of [...((tim?.callsBoundRuns ?? []) as Json[]), ...((tim?.runs ?? []) as Json[])]) {
  cost.push([`tim-throughput, ${r.workers} worker(s), ${r.targetsPerCall}-target calls`, cpu(r.cpuMsPerCall), n(r.passesPerJob)]);
}
if (o) {
  cost.push(['tim-overhead, pipeline, 100-target calls', cpu(o.cpuMsPerCall), n(o.passesPerJob)]);
  cost.push(['tim-overhead, raw axios loop, 100-target calls', cpu(o.anchors.rawCpuMsPerCall), '–']);
}
if (g) cost.push(['gewe-fairness, 1 worker', cpu(g.cpuMsPerCall), n(g.passesPerJob)]);

process.stdout.write(`${table(['scenario', 'figure', 'measured', 'anchor, same run', 'goal', ''], rows)}\n\n`);
process.stdout.write(`${table(['run', 'CPU ms per call', 'passes per job'], cost)}\n`);
