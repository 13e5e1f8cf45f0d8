import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startTimSimulator } from '../../../src/sim/tim/index.js';
import { APP, KEY, addBody, callTim, waitFor } from './helpers.js';

/** Resolves with the first stdout line that parses as JSON, or fails at the deadline. */
function firstJsonLine(child: ChildProcess, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within ${timeoutMs} ms`)), timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        clearTimeout(timer);
        lines.close();
        resolve(parsed);
      } catch {
        // not our line
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready`)));
  });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('src/sim/tim/main.ts', () => {
  let child: ChildProcess | undefined;
  // npx and tsx sit between us and the simulator: signal the whole process group, never leave it.
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, signal);
  };
  afterEach(() => {
    try {
      signalGroup('SIGKILL');
    } catch {
      // already gone
    }
  });

  it('starts from argv flags, prints a ready line, serves, and stops on SIGTERM', async () => {
    child = spawn('npx', ['tsx', 'src/sim/tim/main.ts', '--port', '0', '--sdkappid', String(APP), '--key', KEY, '--rate', '50', '--latency', '1'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    const ready = await firstJsonLine(child, 30_000);
    expect(ready).toEqual({ ready: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const url = ready.url as string;
    expect((await callTim(url, addBody('alice', ['ok1']))).json.ErrorCode).toBe(0);
    expect(await (await fetch(`${url}/_sim/stats`)).json()).toMatchObject({ calls: 1 });
    signalGroup('SIGTERM');
    await exited(child, 10_000);
    await waitFor(
      () =>
        fetch(`${url}/_sim/stats`).then(
          () => false,
          () => true,
        ),
      'the port to close',
      10_000,
    );
  }, 60_000);

  it('refuses a bad flag and exits non-zero', async () => {
    child = spawn('npx', ['tsx', 'src/sim/tim/main.ts', '--rate', 'fast'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exited(child, 30_000)).not.toBe(0);
    expect(stderr).toContain('--rate');
  }, 60_000);
});

describe('close()', () => {
  it('returns promptly with a hanging call and idle keep-alive sockets open', async () => {
    const sim = await startTimSimulator({ sdkAppId: APP, secretKey: KEY });
    await callTim(sim.url, addBody('alice', ['ok1'])); // leaves an idle keep-alive socket
    const hanging = callTim(sim.url, addBody('bob', ['hang1'])).then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor(() => sim.stats().inFlight === 1, 'the hanging call to arrive');
    const started = performance.now();
    await sim.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await hanging).toBe('failed');
    await sim.close(); // twice is harmless
  });
});
