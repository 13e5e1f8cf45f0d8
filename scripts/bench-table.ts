/**
 * `npx tsx scripts/bench-table.ts bench.json`: prints the report of `npm run bench` as the
 * markdown tables of docs/benchmarks.md. Every verdict is the report's own (each scenario's
 * `checks`, computed by bench/lib/verdicts.ts when it ran): nothing is judged again here.
 */
import { readFileSync } from 'node:fs';

/** A report read back from disk: loosely typed on purpose, every figure is printed as found. */
// biome-ignore lint/suspicious/noExplicitAny: a report read from disk is printed as found, figure by figure; typing every scenario's shape here would copy bench/lib/types.ts
type Json = Record<string, any>;
interface Check {
  subject: string;
  figure: string;
  measured: string;
  goal: string | null;
  met: boolean | null;
  beside?: string;
}
const input = process.argv[2];
if (!input) {
  process.stderr.write('usage: tsx scripts/bench-table.ts bench.json\n');
  process.exit(2);
}
const report = JSON.parse(readFileSync(input, 'utf8')) as { scenarios: Json[] };
const n = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v ?? '–'));
const met = (c: Check) => (c.goal === null ? '–' : c.met === true ? 'met' : '**not met**');

const rows: string[][] = [];
for (const s of report.scenarios) {
  if (s.error !== undefined) {
    rows.push([s.name, 'the scenario failed to run', String(s.error).slice(0, 200), '–', '–', '**not met**']);
    continue;
  }
  const checks = (s.checks ?? []) as Check[];
  if (checks.length === 0) rows.push([s.name, '(no checks in this report)', '–', '–', s.goal ?? '–', s.goalMet === true ? 'met' : '**not met**']);
  for (const c of checks) rows.push([`${s.name}, ${c.subject}`, c.figure, c.measured, c.beside ?? '–', c.goal ?? '(reported)', met(c)]);
}
const verdicts = report.scenarios.map((s) => [s.name, s.goalMet === true ? 'met' : '**not met**', `${n(s.seconds)} s`]);

const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
const table = (header: string[], body: string[][]) => [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');

/** Where the CPU goes: ms per provider call in each process group, and passes per job. */
const byName = (name: string): Json | undefined => report.scenarios.find((s) => s.name === name);
const tim = byName('tim-throughput');
const o = byName('tim-overhead');
const g = byName('gewe-fairness');
const cost: string[][] = [];
const cpu = (c: Record<string, number> | undefined) =>
  c
    ? Object.entries(c)
        .map(([k, v]) => `${k} ${n(v)}`)
        .join(', ')
    : '–';
for (const r of [...((tim?.callsBoundRuns ?? []) as Json[]), ...((tim?.runs ?? []) as Json[])]) {
  cost.push([`tim-throughput, ${r.workers} worker(s), ${r.targetsPerCall}-target calls`, cpu(r.cpuMsPerCall), n(r.passesPerJob)]);
}
for (const [commit, r] of Object.entries((tim?.anchors ?? {}) as Record<string, Json>)) {
  if (r.cpuMsPerCall) cost.push([`tim-throughput, ${r.workers} worker(s), 1000-target calls, ${commit} (anchor)`, cpu(r.cpuMsPerCall), n(r.passesPerJob)]);
}
if (o) {
  cost.push(['tim-overhead, pipeline, 100-target calls', cpu(o.cpuMsPerCall), n(o.passesPerJob)]);
  cost.push(['tim-overhead, raw axios loop, 100-target calls', cpu(o.anchors?.rawCpuMsPerCall), '–']);
  if (o.anchors?.bareBullmqCpuMsPerCall) cost.push(['tim-overhead, bare BullMQ worker (anchor), 100-target calls', cpu(o.anchors.bareBullmqCpuMsPerCall), '–']);
}
if (g) cost.push(['gewe-fairness, 1 worker', cpu(g.cpuMsPerCall), n(g.passesPerJob)]);
const handRolled = g?.anchors?.['hand-rolled-bullmq-worker-pacing-in-memory'];
if (handRolled) cost.push(['gewe-fairness, hand-rolled BullMQ worker (anchor)', cpu(handRolled.cpuMsPerCall), '–']);

process.stdout.write(`${table(['scenario', 'verdict', 'took'], verdicts)}\n\n`);
process.stdout.write(
  `${table(['scenario, run', 'figure', 'measured', 'beside it (anchor: same run; bound: computed; reference: another run)', 'goal', ''], rows)}\n\n`,
);
process.stdout.write(`${table(['run', 'CPU ms per call', 'passes per job'], cost)}\n`);
