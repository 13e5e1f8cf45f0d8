import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait-for.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run api` as its own process, to be killed (SIGKILL: no drain, as a crash). */
export class ApiProcess {
  output = '';
  exitCode: number | null | undefined;
  private readonly child: ChildProcess;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'workers/api.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env, API_PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.on('exit', (code, signal) => (this.exitCode = code ?? (signal ? -1 : null)));
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

  async kill(): Promise<void> {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    await waitFor('the api to die', () => this.exitCode !== undefined, 10_000);
  }
}
