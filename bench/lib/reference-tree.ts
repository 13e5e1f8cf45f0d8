import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './child.js';
import type { WorkerEntry } from './workers.js';

/**
 * The commit whose CPU per call issue 13 halves (its bench.json: 9.66 + 4.06 ms with 2 workers,
 * on another machine). Its workers run in the same bench run as ours, so that the goal is a
 * ratio from one run, whatever the machine's speed.
 */
export const REFERENCE_COMMIT = 'd82ac7f';

/** d82ac7f's worker, or why it cannot run here (the report then says so, and the goal is not met). */
export type ReferenceWorker = ({ ok: true } & WorkerEntry) | { ok: false; why: string };

let prepared: ReferenceWorker | undefined;

/**
 * The reference commit's sources, taken with `git archive` into a folder of their own under the
 * system's temporary folder (made once per machine, reused after), run as they ran then: through
 * tsx. They use this checkout's node_modules, which must hold the exact version of every package
 * the reference names: otherwise it would not be the reference that ran.
 */
export function referenceWorker(): ReferenceWorker {
  prepared ??= prepare();
  return prepared;
}

function prepare(): ReferenceWorker {
  const sha = git(['rev-parse', '--verify', '--quiet', `${REFERENCE_COMMIT}^{commit}`]);
  if (!sha.ok) return { ok: false, why: `${REFERENCE_COMMIT} is not in this checkout's history (${sha.out}): a shallow clone or a copy without .git` };
  const dir = join(tmpdir(), `friend-add-reference-${sha.out}`);
  if (!existsSync(join(dir, 'workers', 'worker.ts'))) {
    const made = extract(sha.out, dir);
    if (!made.ok) return made;
  }
  const mismatch = versionMismatch(dir);
  if (mismatch) return { ok: false, why: `${REFERENCE_COMMIT} needs ${mismatch}: its dependencies are not this checkout's` };
  return { ok: true, entry: join(dir, 'workers', 'worker.ts'), tsx: true, why: `${REFERENCE_COMMIT}'s sources through tsx, as its bench ran them` };
}

/** Into a fresh folder, renamed into place once whole: a run cut short never leaves half a tree. */
function extract(sha: string, dir: string): ReferenceWorker {
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const archive = spawnSync('git', ['-C', ROOT, 'archive', '--format=tar', sha, 'src', 'workers', 'package.json', 'tsconfig.json'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  if (archive.status !== 0) return { ok: false, why: `git archive ${sha} failed: ${String(archive.stderr).trim()}` };
  const untar = spawnSync('tar', ['-x', '-C', partial], { input: archive.stdout });
  if (untar.status !== 0) return { ok: false, why: `tar failed: ${String(untar.stderr).trim()}` };
  symlinkSync(join(ROOT, 'node_modules'), join(partial, 'node_modules'), 'dir');
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return { ok: true, entry: join(dir, 'workers', 'worker.ts'), tsx: true };
}

/** The first package the reference pins at a version this checkout's node_modules does not hold. */
function versionMismatch(dir: string): string | undefined {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const [name, wanted] of Object.entries(pkg.dependencies ?? {})) {
    const installed = join(ROOT, 'node_modules', name, 'package.json');
    const version = existsSync(installed) ? (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version : 'none';
    if (version !== wanted) return `${name} ${wanted} (installed: ${version})`;
  }
  return undefined;
}

function git(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' });
  return { ok: r.status === 0, out: (r.status === 0 ? r.stdout : r.stderr || `exit ${r.status}`).trim() };
}
