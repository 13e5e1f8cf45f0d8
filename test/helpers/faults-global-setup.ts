import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { FAULTS_SHORT } from './faults-mode.js';
import { SUMMARY_FILE } from './faults-summary.js';

/**
 * Runs once before the fault suite (vitest globalSetup). Before a whole run, it forgets the last
 * run of this mode in .bench/faults-summary.json, so the file holds exactly the cases of the
 * latest run, never a stale case from an older one; a run of one file or one test (-t) only
 * replaces its own cases. It stamps when the run started and the machine's load then.
 */
export default async function setup(): Promise<void> {
  const mode = FAULTS_SHORT ? 'short' : 'full';
  const args = process.argv.map((a) => a.replace(/\\/g, '/'));
  const partial = args.some((a) => /test\/faults\/.+/.test(a) || a === '-t' || a.startsWith('--testNamePattern'));
  if (partial) return;
  let summary: Record<string, unknown> = {};
  try {
    summary = JSON.parse(await readFile(SUMMARY_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    // first run
  }
  const runs = (summary.runs ?? {}) as Record<string, unknown>;
  runs[mode] = {};
  const starts = (summary.started ?? {}) as Record<string, unknown>;
  starts[mode] = { at: new Date().toISOString(), load: loadavg().map((n) => Math.round(n * 100) / 100) };
  await mkdir(dirname(SUMMARY_FILE), { recursive: true });
  await writeFile(SUMMARY_FILE, `${JSON.stringify({ ...summary, runs, started: starts }, null, 2)}\n`);
}
