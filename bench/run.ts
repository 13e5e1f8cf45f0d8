/**
 * `npm run bench [-- --quick] [-- --only=a,b] [-- --no-fail]`: runs the scenarios one after another
 * against the real Redis at REDIS_URL, each with its own key prefix, workers and simulators as
 * separate processes, and prints ONE JSON object on stdout. Progress goes to stderr. Exits 1 when
 * a scenario could not run, 3 when one missed its goal (0 with `--no-fail`, for exploring).
 */
import { parseArgs } from 'node:util';
import { closeOpenScopes } from './lib/scope.js';
import { log } from './lib/log.js';
import { machineInfo, startLoadMonitor } from './lib/machine.js';
import type { BenchContext, Scenario, ScenarioReport } from './lib/types.js';
import { timThroughput } from './scenarios/tim-throughput.js';
import { timLimiterAnchors } from './scenarios/tim-limiter-anchors.js';
import { timOverhead } from './scenarios/tim-overhead.js';
import { geweFairness } from './scenarios/gewe-fairness.js';
import { enqueue } from './scenarios/enqueue.js';
import { soak } from './scenarios/soak.js';
import { workerStart } from './scenarios/worker-start.js';
import { exitCode } from './lib/verdicts.js';
import { workerEntry } from './lib/workers.js';

const SCENARIOS: Record<string, Scenario> = {
  'tim-throughput': timThroughput,
  'tim-limiter-anchors': timLimiterAnchors,
  'tim-overhead': timOverhead,
  'gewe-fairness': geweFairness,
  enqueue,
  soak,
  'worker-start': workerStart,
};

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, 'no-fail': { type: 'boolean', default: false } },
  strict: true,
});
const names = values.only ? values.only.split(',') : Object.keys(SCENARIOS);
for (const name of names) if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping the processes and deleting the keys of the running scenario`);
    void closeOpenScopes().finally(() => process.exit(130));
  });
}

const startedAt = new Date();
const machine = await machineInfo();
const workers = workerEntry();
const monitor = startLoadMonitor();
const ctx: BenchContext = { quick: values.quick, shared: new Map() };
const scenarios: ScenarioReport[] = [];
for (const name of names) {
  const t0 = Date.now();
  log(`── ${name}${ctx.quick ? ' (quick)' : ''}`);
  try {
    scenarios.push({ ...(await SCENARIOS[name]!(ctx)), seconds: Math.round((Date.now() - t0) / 100) / 10 });
  } catch (err) {
    log(`${name} failed:`, err instanceof Error ? (err.stack ?? err.message) : String(err));
    scenarios.push({ name, setup: '', anchors: {}, checks: [], goal: '', goalMet: false, error: String(err), seconds: Math.round((Date.now() - t0) / 1000) });
  }
}
const report = {
  startedAt: startedAt.toISOString(),
  mode: ctx.quick ? 'quick' : 'full',
  seconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
  machine: { ...machine, duringRun: monitor.stop() },
  workers,
  scenarios,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
const missed = scenarios.filter((s) => s.goalMet !== true).map((s) => s.name);
if (missed.length) log(`goals not met: ${missed.join(', ')}${values['no-fail'] ? ' (--no-fail: exit 0)' : ''}`);
process.exit(exitCode(scenarios, values['no-fail']));
