/**
 * `npx tsx scripts/bench-chart.ts bench.json [docs/bench-chart.svg]`: draws the report of
 * `npm run bench` as one SVG: TIM rate and worst sliding second of ours beside the anchors, every
 * goal as figure ÷ goal (1 or more: met), and the soak's worker RSS over time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { barPanel, document, linePanel, type Bar } from './svg.js';

type Json = Record<string, unknown>;
const [input, output = 'docs/bench-chart.svg'] = process.argv.slice(2);
if (!input) {
  process.stderr.write('usage: tsx scripts/bench-chart.ts bench.json [out.svg]\n');
  process.exit(2);
}
const report = JSON.parse(readFileSync(input, 'utf8')) as { startedAt: string; mode: string; machine: Json; scenarios: Json[] };
const scenario = (name: string) => report.scenarios.find((s) => s.name === name);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const div = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);

/** Ours with 1, 2 and 4 workers, then each anchor: rate ÷ limit and worst sliding second ÷ limit. */
function rateBars(): Bar[] {
  const tim = scenario('tim-throughput');
  const limit = num(tim?.limit) ?? 100;
  const bar =
    (kind: string) =>
    (r: Json): Bar => ({
      label: `ours, ${kind}, ${String(r.workers)} worker process(es)`,
      values: [num(r.ratio), div(num(r.maxInSlidingSecond), limit)],
    });
  const bars: Bar[] = [
    ...((tim?.callsBoundRuns as Json[] | undefined) ?? []).map(bar('1-target calls')),
    ...((tim?.runs as Json[] | undefined) ?? []).map(bar('1000-target calls')),
  ];
  const anchors = (scenario('tim-limiter-anchors')?.anchors ?? {}) as Record<string, Json>;
  for (const [name, a] of Object.entries(anchors)) {
    bars.push({ label: name, values: [num(a.ratio), div(num(a.maxInSlidingSecond), limit)] });
  }
  return bars;
}

/** Workers + Redis CPU ms per call of a run, when both were measured. */
function cpuOf(run: Json | undefined): number | null {
  const c = (run?.cpuMsPerCall ?? {}) as Json;
  const w = num(c.workers);
  const r = num(c.redis);
  return w === null || r === null ? null : w + r;
}

/** Every goal as a ratio that is 1 or more when met. */
function goalBars(): Bar[] {
  const tim = scenario('tim-throughput');
  const runs = (tim?.runs as Json[] | undefined) ?? [];
  const callsBound = (tim?.callsBoundRuns as Json[] | undefined) ?? [];
  const minRatio = callsBound.length ? Math.min(...callsBound.map((r) => num(r.ratio) ?? 0)) : null;
  const everyRun = [...callsBound, ...runs];
  const worst = everyRun.length ? Math.max(...everyRun.map((r) => num(r.maxInSlidingSecond) ?? 0)) : null;
  const two = runs.find((r) => r.workers === 2);
  // d82ac7f's workers on the same backlog in the same run (absent from reports before 2026-12-04).
  const reference = (tim?.anchors as Json | undefined)?.d82ac7f as Json | undefined;
  const gewe = scenario('gewe-fairness');
  const soak = scenario('soak');
  const rss = (soak?.rss ?? {}) as Json;
  const bars: [string, number | null][] = [
    ['TIM rate ÷ limit, calls-bound, worst run ÷ 0.97', div(minRatio, 0.97)],
    ['TIM limit ÷ worst sliding second', div(num(tim?.limit) ?? 100, worst)],
    ['TIM targets/s, 2 workers ÷ 0.9', div(num(two?.targetsRatio), 0.9)],
    ["0.5 ÷ (CPU per call ÷ d82ac7f's, same run), 2 workers + Redis", div(0.5, div(cpuOf(two), cpuOf(reference)))],
    ['overhead ratio ÷ 0.5', div(num(scenario('tim-overhead')?.ratio), 0.5)],
    ['GeWe 1.3 ÷ (wall ÷ ideal)', div(1.3, num(gewe?.wallRatio))],
    ['GeWe least spacing ÷ (I − 20 ms)', div(num(gewe?.leastSpacingMs), num(((gewe?.bounds ?? gewe?.anchors) as Json | undefined)?.leastSpacingFloorMs))],
    ['enqueue library ÷ 100k targets/s', div(num(scenario('enqueue')?.libraryTargetsPerSec), 100_000)],
    ['soak 250 MB ÷ peak worker RSS', div(250, num(rss.peakMB))],
  ];
  return bars.map(([label, v]) => ({ label, values: [v] }));
}

const seriesOf = (name: 'rssSeries' | 'liveHeapSeries') =>
  ((scenario('soak')?.[name] as { t: number; mb: number }[] | undefined) ?? []).map((p) => ({ x: p.t, y: p.mb }));
const soakSeries = seriesOf('rssSeries');
const liveHeapSeries = seriesOf('liveHeapSeries');
const m = report.machine;
const during = (m.duringRun ?? {}) as Json;
const footer = [
  `npm run bench (${report.mode}), ${report.startedAt}; ${String(m.cpus)} × ${String(m.model)}, Node ${String(m.node)}, Redis ${String(m.redis)}`,
  `1-min load average: ${JSON.stringify(m.loadavgAtStart)} at start; median ${String(during.loadavg1Median ?? '?')}, max ${String(during.loadavg1Max ?? '?')} during the run (the bench's own processes included)`,
];
const svg = document(
  [
    (top) =>
      barPanel(
        {
          title: 'TIM at the default limit (100/s), as the simulator saw arrivals',
          series: [
            { name: 'calls/s ÷ limit', color: '#1f77b4' },
            { name: 'worst sliding second ÷ limit', color: '#ff7f0e' },
          ],
          bars: rateBars(),
          max: 2,
          marks: [
            { at: 0.97, label: 'goal 0.97' },
            { at: 1, label: 'limit' },
          ],
        },
        top,
      ),
    (top) =>
      barPanel(
        {
          title: 'Goals: figure ÷ goal (1 or more: met)',
          series: [{ name: 'headroom', color: '#2ca02c' }],
          bars: goalBars(),
          max: 4,
          marks: [{ at: 1, label: 'goal' }],
          // Rounded down: a goal missed by a hair must not read 1.00.
          format: (v) => (Math.floor(v * 100) / 100).toFixed(2),
        },
        top,
      ),
    ...(soakSeries.length
      ? [
          (top: number) =>
            linePanel(
              {
                title: 'soak: worker RSS (MB) over the run',
                points: soakSeries,
                xLabel: 's',
                yMax: Math.max(300, Math.ceil(Math.max(...soakSeries.map((p) => p.y)) / 50) * 50 + 50),
                marks: [{ at: 250, label: '250 MB' }],
              },
              top,
            ),
        ]
      : []),
    ...(liveHeapSeries.length
      ? [
          (top: number) =>
            linePanel(
              {
                title: 'soak: live heap (MB left by each full collection) over the run',
                points: liveHeapSeries,
                xLabel: 's',
                yMax: Math.ceil(Math.max(...liveHeapSeries.map((p) => p.y)) / 10) * 10 + 10,
                marks: [],
              },
              top,
            ),
        ]
      : []),
  ],
  footer,
);
writeFileSync(output, svg);
process.stderr.write(`wrote ${output}\n`);
