import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FAULTS_SHORT } from './faults-mode.js';

const DIR = fileURLToPath(new URL('../../.bench/', import.meta.url));
export const SUMMARY_FILE = `${DIR}faults-summary.json`;

/** What every case reports; cases add their own figures beside these. */
export interface CaseCounts {
  /** Targets the case expected a result for (accepted by a producer). */
  targets: number;
  /** Expected targets with no result on friend-add-results. */
  lost: number;
  /** Results beyond the first for one requestId/target. */
  duplicated: number;
  /** Broken limits seen at the provider: sliding seconds over the TIM limit, overlapping calls, spacing. */
  limitViolations: number;
  [figure: string]: number | string | boolean | number[] | Record<string, number>;
}

interface CaseEntry {
  mode: 'short' | 'full';
  passed: boolean;
  finishedAt: string;
  durationMs: number;
  /** Load average (1, 5, 15 min) when the case started and ended: others share this machine. */
  loadStart: number[];
  loadEnd: number[];
  counts: CaseCounts;
}

/** Starts timing a case; `done` prints its counts and merges them into .bench/faults-summary.json. */
export function startCase(name: string) {
  const started = Date.now();
  const loadStart = loadavg().map(round2);
  return async (counts: CaseCounts, passed: boolean): Promise<void> => {
    const entry: CaseEntry = {
      mode: FAULTS_SHORT ? 'short' : 'full',
      passed,
      finishedAt: new Date().toISOString(),
      durationMs: Date.now() - started,
      loadStart,
      loadEnd: loadavg().map(round2),
      counts,
    };
    console.log(`[faults] ${name}: ${JSON.stringify(entry.counts)}`);
    await merge(name, entry);
  };
}

/** Counts pass when nothing was lost, duplicated or over a limit. */
export function clean(counts: CaseCounts): boolean {
  return counts.lost === 0 && counts.duplicated === 0 && counts.limitViolations === 0;
}

async function merge(name: string, entry: CaseEntry): Promise<void> {
  await mkdir(DIR, { recursive: true });
  const summary = await readSummary();
  summary.runs ??= {};
  const runs = summary.runs as Record<string, Record<string, CaseEntry>>;
  runs[entry.mode] ??= {};
  runs[entry.mode]![name] = entry;
  summary.machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGb: round2(totalmem() / 2 ** 30), node: process.version };
  summary.updatedAt = entry.finishedAt;
  // Write then rename: a reader never sees half a file.
  await writeFile(`${SUMMARY_FILE}.tmp`, `${JSON.stringify(summary, null, 2)}\n`);
  await rename(`${SUMMARY_FILE}.tmp`, SUMMARY_FILE);
}

async function readSummary(): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(SUMMARY_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
