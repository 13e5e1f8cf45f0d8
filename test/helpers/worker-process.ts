import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A worker started as its own process (`npm run worker`'s entry point), as production runs it. */
export class WorkerProcess {
  /** Everything it printed: JSON log lines. */
  output = '';
  private child: ChildProcess | undefined;
  exitCode: number | null | undefined;

  constructor(
    private readonly env: Record<string, string>,
    private readonly entry = 'workers/worker.ts',
  ) {}

  async start(timeoutMs = 20_000): Promise<this> {
    const before = this.output.length;
    this.exitCode = undefined;
    const child = spawn(process.execPath, ['--import', 'tsx', this.entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.on('exit', (code) => (this.exitCode = code));
    await waitFor(
      'the worker to start',
      () => {
        // Started counts even if it has died since (a worker told to crash may be that quick).
        if (this.output.slice(before).includes('worker started')) return true;
        if (this.exitCode !== undefined) throw new Error(`worker exited (${this.exitCode}): ${this.output.slice(-2000)}`);
        return false;
      },
      timeoutMs,
    );
    return this;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** SIGKILL: no drain, no cleanup, as a crash or an OOM kill. */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
  }

  /** Sends the signal and waits for the process to end. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<number | null> {
    const child = this.child;
    if (!child || this.exitCode !== undefined) return this.exitCode ?? null;
    child.kill(signal);
    await waitFor('the worker to exit', () => this.exitCode !== undefined, timeoutMs);
    return this.exitCode ?? null;
  }
}
