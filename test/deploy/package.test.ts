import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, deletePrefix, testPrefix, TEST_REDIS_URL } from '../helpers/redis.js';
import { TEST_SDKAPPID, TEST_TIM_KEY } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait-for.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What `npm pack` needs to build: the sources, the build and the manifest, not the tests or bench. */
const PACKED_FROM = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'src', 'workers', 'bin', 'scripts/build.mjs'];
const PACKAGE = 'node_modules/friend-add-queue';

/**
 * The package as an integrator gets it: `npm pack` (its `prepare` builds dist/), the tarball
 * installed into an empty project from the registry (through the npm cache), and the library,
 * the CLI, the simulator and a worker run from there against the real Redis. The pack runs in a
 * copy of the working tree, so the repository's own dist/ is never rebuilt under another process.
 */
describe('the npm package, installed into a clean project', () => {
  let work: string;
  let app: string;
  let packed: string[];
  const prefix = testPrefix('pack');
  const redis = connectRedis();
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fa-package-'));
    const repo = join(work, 'repo');
    for (const path of PACKED_FROM) cpSync(join(ROOT, path), join(repo, path), { recursive: true });
    // The build's own tools (tsc) come from the repository's install; nothing is installed here.
    symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo, maxBuffer: 64 << 20 });
    const [report] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    packed = report!.files.map((f) => f.path);

    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'integrator', private: true, type: 'module' }));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', join(work, report!.filename)], {
      cwd: app,
      maxBuffer: 64 << 20,
    });
  }, 420_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await deletePrefix(redis, prefix);
    redis.disconnect();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds the build (JS, declarations, every Lua script, the .cjs thread) and nothing else', () => {
    const scripts = [...walk(join(ROOT, 'src'))].filter((f) => /\.(lua|cjs)$/.test(f)).map((f) => `dist/${relative(ROOT, f)}`);
    expect(scripts.length).toBeGreaterThan(10);
    for (const file of [
      ...scripts,
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/workers/worker.js',
      'dist/src/cli/main.js',
      'bin/friend-add.js',
      'package.json',
    ]) {
      expect(packed, file).toContain(file);
    }
    const strays = packed.filter((f) => /^(test|bench|scripts|src|workers)\//.test(f) || (/\.ts$/.test(f) && !f.endsWith('.d.ts')));
    expect(strays).toEqual([]);
  });

  it('imports the library, submits a request idempotently and reads its status', async () => {
    writeFileSync(
      join(app, 'submit.mjs'),
      `import { openFriendAddClient } from 'friend-add-queue';
const [requestId, targets] = [process.argv[2], JSON.parse(process.argv[3])];
const client = openFriendAddClient({ redisUrl: process.env.REDIS_URL, prefix: process.env.QUEUE_PREFIX });
const request = { requestId, fromAccount: 'alice', targets: targets.map((toAccount) => ({ toAccount, addSource: 'AddSource_Type_Web' })) };
const first = await client.submitTim(request);
const again = await client.submitTim(request);
const status = await client.getRequest(requestId);
const queued = await client.input.getJobCounts('wait', 'prioritized', 'delayed', 'active');
await client.close();
console.log(JSON.stringify({ resolved: import.meta.resolve('friend-add-queue'), first, again, status, queued }));
`,
    );
    const out = await runIn(app, 'node', ['submit.mjs', 'pack-req-1', JSON.stringify(['bob', 'carol', 'bob'])], env());
    const { resolved, first, again, status, queued } = JSON.parse(out);
    expect(resolved).toContain(`${PACKAGE}/dist/src/index.js`);
    expect(first).toEqual({ requestId: 'pack-req-1', jobs: 1, targets: 2 });
    expect(again).toEqual(first);
    expect(status).toMatchObject({ requestId: 'pack-req-1', provider: 'tim', total: 2, open: 2, jobs: 1, submitted: true });
    expect(queued.wait + queued.prioritized + queued.delayed + queued.active).toBe(1);
    // The client's own connection closed with it: the script ended by itself, so it was not left open.
  });

  it('type-checks a consumer against the packed declarations', async () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { openFriendAddClient, type RequestStatus, type SubmitResult } from 'friend-add-queue';
const client = openFriendAddClient({ redisUrl: 'redis://127.0.0.1:6379', prefix: 'x' });
export const submitted: Promise<SubmitResult> = client.submitTim({ fromAccount: 'a', targets: [{ toAccount: 'b', addSource: 'AddSource_Type_Web' }] });
export const status: Promise<RequestStatus | null> = client.getRequest('r');
// @ts-expect-error: fromAccount is a string
export const wrong = client.submitTim({ fromAccount: 1, targets: [] });
`,
    );
    const tsconfig = {
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files: ['consumer.ts'],
    };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    await expect(runIn(app, process.execPath, [tsc, '-p', 'tsconfig.json'], env())).resolves.toBe('');
  });

  it('runs its CLI from the build (no sources, no tsx installed)', async () => {
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
    expect(await runIn(app, 'node_modules/.bin/friend-add', ['--version'], env())).toBe('0.1.0\n');
    const status = await runIn(app, 'node_modules/.bin/friend-add', ['status', 'pack-req-1'], env());
    expect(status).toContain('pack-req-1');
  });

  it('runs the simulator and a worker from dist/: the request ends with a result per target, and the worker answers /healthz', async () => {
    const sim = start(
      children,
      app,
      [`${PACKAGE}/dist/src/sim/tim/main.js`, '--port', '0', '--gateway', '--sdkappid', String(TEST_SDKAPPID), '--key', TEST_TIM_KEY, '--rate', '50'],
      {},
    );
    const simLine = await waitFor(
      'the packaged TIM simulator',
      () =>
        sim
          .output()
          .split('\n')
          .find((l) => l.startsWith('{"ready"')),
      30_000,
    );
    const simUrl = (JSON.parse(simLine) as { url: string }).url;
    const worker = start(children, app, [`${PACKAGE}/dist/workers/worker.js`], {
      ...env(),
      PROVIDERS: 'tim',
      TIM_BASE_URL: simUrl,
      TIM_SDKAPPID: String(TEST_SDKAPPID),
      TIM_SECRET_KEY: TEST_TIM_KEY,
      WORKER_METRICS_PORT: '0',
    });
    const metricsLine = await waitFor(
      'the packaged worker to serve its metrics',
      () =>
        worker
          .output()
          .split('\n')
          .find((l) => l.includes('worker metrics on /metrics')),
      30_000,
    );
    const { port } = JSON.parse(metricsLine) as { port: number };
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    // The image's HEALTHCHECK: 0 while the worker answers on WORKER_METRICS_PORT, 1 where nothing does.
    const healthcheck = `${PACKAGE}/bin/healthcheck.js`;
    await expect(runIn(app, process.execPath, [healthcheck], { ...env(), WORKER_METRICS_PORT: String(port) })).resolves.toBe('');
    await expect(runIn(app, process.execPath, [healthcheck], { ...env(), API_PORT: '1' })).rejects.toMatchObject({ code: 1 });

    const done = await waitFor(
      'the request to finish',
      async () => {
        const out = await runIn(app, 'node', ['--input-type=module', '-e', readStatus, 'pack-req-1'], env());
        const status = JSON.parse(out) as { open: number; totals: Record<string, number> };
        return status.open === 0 ? status : undefined;
      },
      60_000,
      250,
    );
    expect(done.totals.added).toBe(2);
    expect(worker.exited()).toBe(false);
  }, 120_000);

  function env(): Record<string, string> {
    return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info' };
  }
});

const readStatus = `
const { openFriendAddClient } = await import('friend-add-queue');
const client = openFriendAddClient({ redisUrl: process.env.REDIS_URL, prefix: process.env.QUEUE_PREFIX });
const status = await client.getRequest(process.argv[1]);
await client.close();
console.log(JSON.stringify(status));
`;

async function runIn(cwd: string, command: string, args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await run(command, args, { cwd, env, maxBuffer: 16 << 20 });
  return stdout;
}

function start(children: ChildProcess[], cwd: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { output: () => output, exited: () => child.exitCode !== null };
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
