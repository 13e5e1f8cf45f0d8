import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const MISSING = `docker-compose is not installed. CI checks docker-compose.yml offline with Debian's docker-compose 1.29;
add this line to .ci/run before \`npm test\`:
  command -v docker-compose >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq docker-compose) >/dev/null`;

interface Service {
  image?: string;
  command?: string[];
  ports?: unknown[];
  container_name?: string;
  profiles?: string[];
  environment?: Record<string, string>;
  init?: boolean;
  healthcheck?: { test?: string[]; disable?: boolean };
}

/**
 * `docker-compose config` resolves the file as Compose would run it (anchors merged, variables
 * filled), with no Docker engine. Its YAML goes through the PyYAML that docker-compose itself
 * depends on, so the test needs nothing that docker-compose does not bring. A clean environment:
 * the shell's own QUEUE_PREFIX or REDIS_URL must not leak into the result.
 */
async function composeConfig(envFile?: string): Promise<Record<string, Service>> {
  const args = ['-f', 'docker-compose.yml', ...(envFile ? ['--env-file', envFile] : []), 'config'];
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
  const { stdout: yaml } = await run('docker-compose', args, { cwd: ROOT, env });
  const toJson = 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)';
  // Debian's python3, whose PyYAML comes with docker-compose (not a pyenv one on PATH).
  const child = run('/usr/bin/python3', ['-c', toJson], { env });
  child.child.stdin!.end(yaml);
  const { stdout } = await child;
  return (JSON.parse(stdout) as { services: Record<string, Service> }).services;
}

describe('docker-compose.yml, checked offline', () => {
  let services: Record<string, Service>;

  beforeAll(async () => {
    const installed = await run('docker-compose', ['version']).then(
      () => true,
      () => false,
    );
    if (!installed) throw new Error(MISSING);
    services = await composeConfig();
  });

  it('has Redis, the API, a scalable worker and the two simulators', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'gewe-sim', 'redis', 'tim-sim', 'worker']);
  });

  it('runs Redis 7 with AOF and maxmemory-policy noeviction', () => {
    const redis = services.redis!;
    expect(redis.image).toMatch(/^redis:7/);
    const command = redis.command!.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
  });

  it('lets the worker scale: no fixed ports, no container name', () => {
    const worker = services.worker!;
    expect(worker.ports).toBeUndefined();
    expect(worker.container_name).toBeUndefined();
    expect(worker.profiles).toBeUndefined();
    expect(worker.command).toEqual(['node', 'dist/workers/worker.js']);
    expect(worker.environment!.REDIS_URL).toBe('redis://redis:6379');
  });

  it('checks the worker liveness on its own metrics port, which it does not publish', () => {
    const worker = services.worker!;
    expect(worker.environment!.WORKER_METRICS_PORT).toBe('9464');
    expect(worker.healthcheck!.test).toEqual(['CMD', 'node', 'bin/healthcheck.js']);
  });

  it('publishes the API on port 3000 of 127.0.0.1 only', () => {
    const api = services.api!;
    expect(api.command).toEqual(['node', 'dist/workers/api.js']);
    expect(api.ports).toEqual(['127.0.0.1:3000:3000/tcp']);
    expect(api.environment!.API_PORT).toBe('3000');
    expect(api.environment!.WORKER_METRICS_PORT).toBeUndefined();
    expect(api.healthcheck!.test).toEqual(['CMD', 'node', 'bin/healthcheck.js']);
  });

  it('passes every variable the configuration reads through to the API and the workers', () => {
    // src/config/schema.ts names each variable once, as a key of the environment's schema.
    const schema = readFileSync(`${ROOT}/src/config/schema.ts`, 'utf8');
    const read = new Set([...schema.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!));
    expect(read.size).toBeGreaterThan(40);
    read.delete('CRASH_AT'); // testing only: the kill tests
    const passed = new Set([...Object.keys(services.api!.environment!), ...Object.keys(services.worker!.environment!)]);
    expect([...read].filter((name) => !passed.has(name))).toEqual([]);
  });

  it('starts the simulators only in the demo profile, and demo.env points the workers at them', async () => {
    expect(services['tim-sim']!.profiles).toEqual(['demo']);
    expect(services['gewe-sim']!.profiles).toEqual(['demo']);
    const demo = await composeConfig('demo.env');
    for (const name of ['worker', 'api']) {
      expect(demo[name]!.environment).toMatchObject({
        TIM_BASE_URL: 'http://tim-sim:7001',
        GEWE_BASE_URL: 'http://gewe-sim:7002',
        QUEUE_PREFIX: '{fa}',
      });
    }
    // The demo's API runs without credentials on purpose; the production shape leaves API_AUTH to .env.
    expect(demo.api!.environment!.API_AUTH).toBe('off');
    expect(services.api!.environment!.API_AUTH).toBe('');
    const timFlags = demo['tim-sim']!.command!.join(' ');
    expect(timFlags).toContain(`--sdkappid ${demo.worker!.environment!.TIM_SDKAPPID}`);
    expect(timFlags).toContain(`--key ${demo.worker!.environment!.TIM_SECRET_KEY}`);
    expect(demo['gewe-sim']!.command!.join(' ')).toContain(`--token ${demo.worker!.environment!.GEWE_TOKEN}`);
  });

  it('runs only built entry points (dist/) whose sources exist, and the simulators without a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'redis') continue;
      const entry = service.command?.[1] ?? '';
      expect(entry, name).toMatch(/^dist\/.+\.js$/);
      const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(existsSync(`${ROOT}/${source}`), `${name}: ${source}`).toBe(true);
    }
    expect(services['tim-sim']!.healthcheck!.test).toEqual(['NONE']);
    expect(services['gewe-sim']!.healthcheck!.test).toEqual(['NONE']);
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(`${ROOT}/Dockerfile`, 'utf8');
  const stages = text.split('\n').filter((line) => /^FROM /.test(line));

  const runtime = text.slice(text.lastIndexOf('\nFROM '));
  const stage = (name: string) => text.slice(text.indexOf(` AS ${name}\n`), text.indexOf('\nFROM ', text.indexOf(` AS ${name}\n`)));
  const ignored = readFileSync(`${ROOT}/.dockerignore`, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));

  it('builds on Node 22 in stages: a build with every dependency, production dependencies from the lock, a runtime', () => {
    expect(stages.map((s) => s.split(/\s+/).pop())).toEqual(['build', 'deps', 'runtime']);
    for (const line of stages) expect(line).toMatch(/^FROM node:22-bookworm-slim\b/);
    expect(stage('build')).toMatch(/\nRUN npm ci\b/);
    expect(stage('build')).toMatch(/\nRUN npm run build\n/);
    expect(stage('deps')).toMatch(/\nRUN npm ci --omit=dev\b/);
  });

  it('carries production dependencies and dist/ only: no sources, no tsx, no dev dependencies', () => {
    expect(runtime).toMatch(/\nCOPY --from=deps \/app\/node_modules \.\/node_modules\n/);
    expect(runtime).toMatch(/\nCOPY --from=build \/app\/dist \.\/dist\n/);
    expect(runtime).not.toMatch(/--from=build \/app\/node_modules|COPY src|COPY workers|tsx|npm (ci|install)/);
  });

  it('runs dist/ as the non-root node user, with node itself as the process (not npm), and a HEALTHCHECK', () => {
    expect(runtime).toMatch(/\nUSER node\n/);
    expect(runtime).toMatch(/\nCMD \["node", "dist\/workers\/start\.js"\]/);
    expect(runtime).toMatch(/\nHEALTHCHECK .*CMD \["node", "bin\/healthcheck\.js"\]/);
    expect(existsSync(`${ROOT}/bin/healthcheck.js`)).toBe(true);
  });

  // docs/benchmarks.md, "The soak's RSS": half the scavenges of an 8 MB semi-space, and the RSS
  // they would cost given back by holding glibc's mmap threshold and arenas.
  it('gives every process a 16 MB young-generation semi-space and a fixed malloc, as npm run worker and start do, in a form node accepts', async () => {
    const options = /\nENV NODE_OPTIONS=(\S+)\n/.exec(runtime)?.[1];
    expect(options).toBe('--max-semi-space-size=16');
    const malloc = /\nENV (MALLOC_\S+=\S+(?: MALLOC_\S+=\S+)*)\n/.exec(runtime)?.[1];
    expect(malloc).toBe('MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072');
    const scripts = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect([scripts.worker, scripts.start]).toEqual([`${malloc} node ${options} dist/workers/worker.js`, `${malloc} node ${options} dist/workers/start.js`]);
    // A flag NODE_OPTIONS does not allow would stop every command of the image: node must take it.
    // Garbage made fast grows the young generation to its most: 2 semi-spaces of 16 MB (V8's own most
    // on a 64-bit machine with memory; pinned, so that a smaller default elsewhere does not move it).
    const probe = `const v8 = require('v8'); let keep = [], most = 0;
      for (let r = 0; r < 150; r++) {
        for (let i = 0; i < 20000; i++) keep.push({ i, s: 'x' + i });
        if (keep.length > 100000) keep = keep.slice(-50000);
        most = Math.max(most, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
      }
      console.log(most);`;
    const { stdout } = await run(process.execPath, ['-e', probe], { env: { ...process.env, NODE_OPTIONS: options } });
    expect(Number(stdout)).toBeLessThanOrEqual(32 * 1024 * 1024);
  });

  it('has in its build context everything it copies, and never a .env', () => {
    const copied = [...text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    for (const path of copied) {
      expect(existsSync(`${ROOT}/${path}`), path).toBe(true);
      expect(
        ignored.filter((pattern) => path === pattern || path.startsWith(`${pattern}/`)),
        path,
      ).toEqual([]);
    }
    expect(ignored).toContain('.env');
  });
});
