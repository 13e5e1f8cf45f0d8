import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { addBody, postAdd, waitFor } from './helpers.js';

const TOKEN = 'process-token-0123456789';
const children: ChildProcess[] = [];

/**
 * Runs the simulator's entry point under tsx, from the project root. Not through `npx tsx`: npm
 * exec does not forward SIGTERM, so the simulator would outlive the test. `node --import tsx` is
 * one process, so the signal and the exit code are the simulator's own.
 */
function startProcess(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sim/gewe/main.ts', ...args], {
    cwd: new URL('../../../', import.meta.url),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return { child, stdout: () => out, stderr: () => err };
}

afterEach(() => {
  // Only the processes this file started, by their own handle.
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('GeWe simulator as a process', () => {
  it('prints a ready line, serves calls, and exits on SIGTERM', async () => {
    const proc = startProcess(['--port', '0', '--token', TOKEN, '--latency', '1']);
    const line = await waitFor(
      () =>
        proc
          .stdout()
          .split('\n')
          .find((l) => l.startsWith('{"ready"')),
      20_000,
      'the ready line',
    );
    const ready = JSON.parse(line) as { ready: boolean; url: string };
    expect(ready.ready).toBe(true);
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const ok = await postAdd(ready.url, addBody('v3_ok_1'), { token: TOKEN });
    expect(ok.json).toEqual({ ret: 200, msg: '操作成功', data: null });
    const arrivals = (await (await fetch(`${ready.url}/_sim/arrivals`)).json()) as { arrivals: unknown[] };
    expect(arrivals.arrivals).toHaveLength(1);

    const exited = once(proc.child, 'exit');
    proc.child.kill('SIGTERM');
    const [code] = await Promise.race([exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no exit within 10 s')), 10_000))]);
    expect(code).toBe(0);
  }, 40_000);

  it('exits with 2 and a usage line without --token', async () => {
    const proc = startProcess(['--port', '0']);
    const [code] = await Promise.race([
      once(proc.child, 'exit'),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no exit within 20 s')), 20_000)),
    ]);
    expect(code).toBe(2);
    expect(proc.stderr()).toMatch(/--token is required/);
  }, 30_000);
});
