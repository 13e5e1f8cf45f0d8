import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { startTestTimSim, timEnv } from '../helpers/tim-sim.js';
import { waitFor } from '../helpers/wait-for.js';
import { timBody } from './api-helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run api` / `npm start` as production runs them: a process, stopped by SIGTERM. */
class EntryProcess {
  output = '';
  exitCode: number | null | undefined;
  private readonly child: ChildProcess;

  constructor(entry: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.on('exit', (code) => (this.exitCode = code));
  }

  /** The API's URL, once it logged that it listens. */
  url(): Promise<string> {
    return waitFor(
      'the api to start',
      () => {
        if (this.exitCode !== undefined) throw new Error(`exited ${this.exitCode}: ${this.output.slice(-2000)}`);
        const line = this.output.split('\n').find((l) => l.includes('"api started"'));
        return line ? (JSON.parse(line) as { url: string }).url : undefined;
      },
      30_000,
    );
  }

  async stop(): Promise<number | null> {
    if (this.exitCode === undefined) this.child.kill('SIGTERM');
    await waitFor('the process to exit', () => this.exitCode !== undefined, 30_000);
    return this.exitCode ?? null;
  }
}

describe('entry points: npm run api and npm start', () => {
  let sim: TimSimulator;
  let h: Harness;
  const started: EntryProcess[] = [];
  const run = (entry: string, extra: Record<string, string> = {}) => {
    const p = new EntryProcess(entry, { ...h.env, API_PORT: '0', LOG_LEVEL: 'info', ...extra });
    started.push(p);
    return p;
  };

  beforeAll(async () => {
    sim = await startTestTimSim();
    h = createHarness('api-entry', timEnv(sim, { RETRY_BASE_MS: 20 }));
  });
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop().catch(() => undefined)));
    await h.close();
    await sim.close();
  });

  it('npm run api serves the API on API_PORT and exits 0 on SIGTERM', async () => {
    const api = run('workers/api.ts', { API_AUTH: 'token', API_TOKEN: 'entry-point-token-123', DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD: 'entry-pw-9' });
    const url = await api.url();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const headers = { 'content-type': 'application/json', authorization: 'Bearer entry-point-token-123' };
    const res = await fetch(`${url}/v1/tim/friend-add`, { method: 'POST', headers, body: JSON.stringify(timBody('via-api', ['ok_1'])) });
    expect(res.status).toBe(202);
    expect(await api.stop()).toBe(0);
    expect(api.output).not.toContain('entry-point-token-123');
  });

  it('refuses to start the API without API_TOKEN and dashboard credentials (exit 2, naming them), unless API_AUTH=off', async () => {
    const bare = run('workers/api.ts', { API_AUTH: 'token' });
    await waitFor('the api to exit', () => bare.exitCode !== undefined, 30_000);
    expect(bare.exitCode).toBe(2);
    expect(bare.output).toMatch(/API_TOKEN[\s\S]*DASHBOARD_USER and DASHBOARD_PASSWORD[\s\S]*API_AUTH=off/);

    const open = run('workers/api.ts', { API_AUTH: 'off' });
    await open.url();
    expect(open.output).toMatch(/API_AUTH=off: the producer API and the dashboard accept anyone/);
    expect(await open.stop()).toBe(0);
  });

  it('npm start runs the API and a worker in one process', async () => {
    const both = run('workers/start.ts');
    const url = await both.url();
    const res = await fetch(`${url}/v1/tim/friend-add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(timBody('via-start', ['ok_a', 'ok_b'])),
    });
    expect(res.status).toBe(202);
    const results = await h.results.waitForCount(2, 20_000, 'via-start');
    expect(results.map((r) => r.outcome)).toEqual(['added', 'added']);
    const status = await (await fetch(`${url}/v1/requests/via-start`)).json();
    expect(status).toMatchObject({ total: 2, open: 0, totals: { added: 2 } });
    expect(await both.stop()).toBe(0);
  });
});
