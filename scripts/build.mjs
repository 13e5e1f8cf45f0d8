#!/usr/bin/env node
/**
 * `npm run build`: compiles the library and the entry points (tsconfig.build.json: src and workers,
 * no tests, no bench) into dist/ as JavaScript with declarations, then copies what tsc does not:
 * the Lua scripts, which modules read beside themselves at load time (src/lib/lua-script.ts), and
 * the simulator's arrival thread (a .cjs). dist/ is emptied first, so a deleted source leaves no
 * stale module behind. The last step writes dist/.build-stamp.
 *
 * `node scripts/build.mjs --if-stale` (the `pre` scripts of `npm run worker|api|start`) builds only
 * when a source, a tsconfig or package.json is newer than that stamp, so a production command never
 * runs yesterday's code. Builds take a lock (dist.lock/), so processes started together build once.
 *
 * `--prepare` (npm's `prepare`, run by `npm ci`, `npm install` and `npm pack` in a checkout) builds
 * too, but only warns when TypeScript is not installed (`npm ci --omit=dev`), so that such an install
 * still succeeds; the Docker image builds in a stage of its own.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled, with no loader.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.build-stamp');
const LOCK = join(ROOT, 'dist.lock');
/** What the build reads: a change to any of these makes dist stale. */
const SOURCE_DIRS = ['src', 'workers'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];
/** Copied beside their modules: tsc emits only from .ts. */
const ASSET = /\.(lua|cjs)$/;
/** The longest a build waits for another's lock, whose holder still runs. */
const LOCK_WAIT_MS = 5 * 60_000;

const ifStale = process.argv.includes('--if-stale');
const asPrepare = process.argv.includes('--prepare');

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

function newestSourceMs() {
  let newest = 0;
  for (const dir of SOURCE_DIRS) for (const file of walk(join(ROOT, dir))) newest = Math.max(newest, statSync(file).mtimeMs);
  for (const file of SOURCE_FILES) newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  return newest;
}

function isStale() {
  return !existsSync(STAMP) || statSync(STAMP).mtimeMs < newestSourceMs();
}

/** Whether the lock's holder is gone: its pid no longer runs (a killed build), or it wrote none. */
function lockAbandoned() {
  let pid;
  try {
    pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
  } catch {
    // Between mkdir and writing the pid, or left by a build killed right then.
    return Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 10_000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return err.code === 'ESRCH';
  }
}

/** mkdir is atomic: whoever creates the lock builds; the others wait for it, then look again. */
async function takeLock() {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (lockAbandoned() || Date.now() > deadline) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function build() {
  rmSync(DIST, { recursive: true, force: true });
  // typescript's own entry, run by this node: no npx, no PATH lookup, the same on Node 20 and 22.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const child = spawn(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  const [code, signal] = await new Promise((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  if (code !== 0) {
    console.error(`build: tsc failed (exit ${code ?? signal})`);
    return false;
  }
  let assets = 0;
  for (const dir of SOURCE_DIRS) {
    for (const file of walk(join(ROOT, dir))) {
      if (!ASSET.test(file)) continue;
      const target = join(DIST, relative(ROOT, file));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
      assets += 1;
    }
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  console.error(`build: dist/ written (${assets} Lua and .cjs files copied beside their modules)`);
  return true;
}

function typescriptInstalled() {
  try {
    createRequire(import.meta.url).resolve('typescript/bin/tsc');
    return true;
  } catch {
    return false;
  }
}

if (ifStale && !isStale()) process.exit(0);
// Stopped midway (Ctrl-C, a timeout): let go of the lock; dist/ has no stamp, so it counts as stale.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    rmSync(LOCK, { recursive: true, force: true });
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}
if (!typescriptInstalled()) {
  const why = 'typescript (a dev dependency) is not installed: run `npm ci` with dev dependencies, then `npm run build`';
  if (asPrepare) {
    console.error(`build: skipped, ${why}`);
    process.exit(0);
  }
  console.error(`build: ${why}`);
  process.exit(1);
}
await takeLock();
try {
  // Another process may have built while this one waited for the lock.
  if ((!ifStale || isStale()) && !(await build())) process.exitCode = 1;
} finally {
  rmSync(LOCK, { recursive: true, force: true });
}
