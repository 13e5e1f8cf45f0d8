import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: every child runs from here, so `--import tsx` resolves. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const TAIL_CHARS = 4000;

export interface ChildOptions<T> {
  /** What the child is, for messages. */
  label: string;
  /** A .ts entry, relative to the repository root. */
  entry: string;
  args?: string[];
  /** Flags for node itself, before `--import tsx` (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** False for compiled JavaScript (dist/), run by node alone. @defaultValue true */
  tsx?: boolean;
  /** The child's whole environment besides PATH: nothing leaks in from ours. */
  env?: Record<string, string>;
  /** Looks at each stdout line until the child says it is ready; returns what it said. */
  ready: (line: string) => T | undefined;
  /** @defaultValue 30 s */
  timeoutMs?: number;
}

/**
 * A TypeScript entry started as `node --import tsx <entry>`: not through npx or the tsx binary,
 * which stand between us and the process (signals relayed or swallowed, a wrong pid for RSS).
 */
export class NodeChild<T = unknown> {
  readonly child: ChildProcess;
  /** The last few thousand characters it printed, for error messages. */
  tail = '';
  ready!: T;
  exitCode: number | null | undefined;
  private readonly exited: Promise<void>;
  private readonly lineWatchers: ((line: string) => void)[] = [];
  private partialLine = '';

  private constructor(readonly options: ChildOptions<T>) {
    const loader = options.tsx === false ? [] : ['--import', 'tsx'];
    this.child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, options.entry, ...(options.args ?? [])], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        this.exitCode = code;
        resolve();
      }),
    );
    this.child.stderr!.on('data', (d: Buffer) => this.keep(d.toString()));
  }

  static start<T>(options: ChildOptions<T>): Promise<NodeChild<T>> {
    const c = new NodeChild(options);
    return c.waitReady().then(() => c);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Resolves once the child exits by itself; the code it exited with. */
  async done(): Promise<number | null> {
    await this.exited;
    return this.exitCode ?? null;
  }

  /**
   * Calls `fn` with each whole line the child prints on stdout after it was ready (lines are split
   * only for a child that has a watcher: the others stay off that path).
   */
  onLine(fn: (line: string) => void): void {
    this.lineWatchers.push(fn);
  }

  private watch(text: string): void {
    if (this.lineWatchers.length === 0) return;
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) for (const fn of this.lineWatchers) fn(line);
  }

  private keep(text: string): void {
    this.tail = (this.tail + text).slice(-TAIL_CHARS);
  }

  private waitReady(): Promise<void> {
    const { label, ready, timeoutMs = 30_000 } = this.options;
    return new Promise((resolve, reject) => {
      let pending = '';
      let found = false;
      const timer = setTimeout(() => fail(new Error(`${label}: not ready within ${timeoutMs} ms: ${this.tail}`)), timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        this.child.kill('SIGKILL');
        reject(err);
      };
      this.child.once('exit', (code) => !found && fail(new Error(`${label} exited (${code}) before ready: ${this.tail}`)));
      this.child.stdout!.on('data', (d: Buffer) => {
        const text = d.toString();
        this.keep(text);
        if (found) return this.watch(text); // after ready, only the tail is kept, and lines go to watchers
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const value = ready(line);
          if (value === undefined) continue;
          found = true;
          pending = '';
          this.ready = value;
          clearTimeout(timer);
          return resolve();
        }
      });
    });
  }
}

/** Reads `{"ready":true,"url":...}`, the line our simulators and bench entries print. */
export function readyUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as { ready?: boolean; url?: string };
    return parsed.ready ? (parsed.url ?? '') : undefined;
  } catch {
    return undefined;
  }
}
