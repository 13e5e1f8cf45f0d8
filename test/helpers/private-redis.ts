import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

/**
 * A private redis-server with AOF (`--appendonly yes --appendfsync everysec`) on a free port and a
 * temporary folder, that a test may shut down, kill and start again on the same port and folder.
 * The shared Redis on 6379 is never touched.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), await mkdtemp(join(tmpdir(), 'fa-faults-redis-')));
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server (again) on the same port and folder; resolves once it answers PING. */
  async up(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--daemonize',
      'no',
    ];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await waitFor(
      `redis-server on ${this.port}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server on ${this.port} exited with ${child.exitCode}`);
        return (await this.cli('PING')) === 'PONG';
      },
      20_000,
      50,
    );
    // A restart must have finished loading the AOF before anyone counts on its data.
    await waitFor('the AOF to load', async () => (await this.cli('INFO', 'persistence')).includes('loading:0'), 20_000, 50);
  }

  /** A graceful stop: Redis fsyncs the AOF and exits. */
  async shutdown(): Promise<void> {
    await this.cli('SHUTDOWN').catch(() => undefined); // the connection drops as it exits
    await this.exited;
  }

  /** SIGKILL: no fsync, no goodbye; `everysec` may lose about the last second of writes. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** The AOF file Redis appends to now: the newest `*.incr.aof` of the multi-part AOF. */
  async aofFile(): Promise<string> {
    const folder = join(this.dir, 'appendonlydir');
    const incr = (await readdir(folder)).filter((f) => f.endsWith('.incr.aof'));
    const seq = (f: string) => Number(/\.(\d+)\.incr\.aof$/.exec(f)?.[1] ?? 0);
    const newest = incr.sort((a, b) => seq(a) - seq(b)).at(-1);
    if (!newest) throw new Error(`no incr AOF in ${folder}`);
    return join(folder, newest);
  }

  async aofSize(): Promise<number> {
    return (await stat(await this.aofFile())).size;
  }

  /** Samples the AOF's size every `everyMs`; `stop` returns the samples, oldest first. */
  trackAofSize(everyMs = 50) {
    const samples: { at: number; size: number }[] = [];
    const timer = setInterval(
      () =>
        void this.aofSize().then(
          (size) => samples.push({ at: Date.now(), size }),
          () => undefined,
        ),
      everyMs,
    );
    return {
      samples,
      stop: () => {
        clearInterval(timer);
        return samples;
      },
    };
  }

  /**
   * With the server stopped: cuts the AOF back to `size` bytes, as if the OS had lost the writes
   * after it (a power cut under `everysec`). Redis loads a truncated AOF (`aof-load-truncated`).
   */
  async truncateAof(size: number): Promise<number> {
    const file = await this.aofFile();
    const before = (await stat(file)).size;
    await truncate(file, Math.min(size, before));
    return before - Math.min(size, before);
  }

  async cli(...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-p', String(this.port), ...args], { timeout: 5000 });
    return stdout.trim();
  }

  /** Kills the server and removes its folder. Safe to call twice. */
  async destroy(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A port nobody listens on now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
