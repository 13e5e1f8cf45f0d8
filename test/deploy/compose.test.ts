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
    const installed = await run('docker-compose', ['version']).then(() => true, () => false);
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
    expect(worker.command).toEqual(['node', '--import', 'tsx', 'workers/worker.ts']);
    expect(worker.environment!.REDIS_URL).toBe('redis://redis:6379');
  });

  it('publishes the API on port 3000', () => {
    const api = services.api!;
    expect(api.command).toEqual(['node', '--import', 'tsx', 'workers/api.ts']);
    expect(JSON.stringify(api.ports)).toContain('3000');
    expect(api.environment!.API_PORT).toBe('3000');
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
    const timFlags = demo['tim-sim']!.command!.join(' ');
    expect(timFlags).toContain(`--sdkappid ${demo.worker!.environment!.TIM_SDKAPPID}`);
    expect(timFlags).toContain(`--key ${demo.worker!.environment!.TIM_SECRET_KEY}`);
    expect(demo['gewe-sim']!.command!.join(' ')).toContain(`--token ${demo.worker!.environment!.GEWE_TOKEN}`);
  });

  it('names only entry points that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      const entry = service.command?.find((part) => part.endsWith('.ts'));
      if (entry) expect(existsSync(`${ROOT}/${entry}`), `${name}: ${entry}`).toBe(true);
    }
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(`${ROOT}/Dockerfile`, 'utf8');
  const stages = text.split('\n').filter((line) => /^FROM /.test(line));

  it('builds on Node 22 in two stages, from the exact lock', () => {
    expect(stages).toHaveLength(2);
    for (const stage of stages) expect(stage).toMatch(/^FROM node:22-bookworm-slim\b/);
    expect(text).toMatch(/RUN npm ci\b/);
    expect(text).toMatch(/COPY --from=deps \/app\/node_modules/);
  });

  it('runs as the non-root node user, with node itself as the process (not npm)', () => {
    const runtime = text.slice(text.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/\nUSER node\n/);
    expect(runtime).toMatch(/\nCMD \["node", "--import", "tsx", "workers\/start\.ts"\]/);
  });
});
