import type { Harness } from './harness.js';
import type { WorkerProcess } from './worker-process.js';

export interface ChaosOptions {
  /** Worker processes kept running: each one killed is replaced at once. */
  size: number;
  /** Workers that must still run right after a kill: a kill waits for replacements until then. */
  keepAlive: number;
  /** Time between two kills, in ms. */
  everyMs: number;
  /** Extra environment for the workers. */
  env?: Record<string, string | number>;
}

/**
 * Keeps `size` worker processes running and SIGKILLs a random one every `everyMs`, starting its
 * replacement straight away, until stopped. A kill waits for replacements to come up until
 * `keepAlive` workers would still run after it, so a kill is never the last word.
 */
export class WorkerChaos {
  kills = 0;
  restarts = 0;
  /** Replacements that did not come up (a timeout on a starved machine). */
  failedStarts = 0;
  /** Fewest workers left running right after a kill. */
  fewestAfterKill = Infinity;
  private readonly ready = new Set<WorkerProcess>();
  private readonly starting = new Set<Promise<void>>();
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly h: Harness,
    private readonly options: ChaosOptions,
  ) {}

  /** Starts the workers and waits until all are up. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.size }, () => this.spawn()));
  }

  /** Begins killing. */
  unleash(): void {
    this.loop ??= this.killLoop();
  }

  /** Stops killing and waits for replacements under way, leaving the workers running. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await Promise.allSettled(this.starting);
  }

  private async killLoop(): Promise<void> {
    while (!this.stopped) {
      await pause(this.options.everyMs);
      if (this.stopped) return;
      while (!this.stopped && this.ready.size <= this.options.keepAlive) await pause(50);
      if (this.stopped) return;
      const victims = [...this.ready];
      const victim = victims[Math.floor(Math.random() * victims.length)]!;
      this.ready.delete(victim);
      await victim.kill();
      this.kills += 1;
      this.fewestAfterKill = Math.min(this.fewestAfterKill, this.ready.size);
      void this.spawn().then(
        () => (this.restarts += 1),
        () => (this.failedStarts += 1),
      );
    }
  }

  private spawn(): Promise<void> {
    const started = this.h.spawnWorker(this.options.env ?? {}).then((w) => {
      this.ready.add(w);
    });
    this.starting.add(started);
    return started.finally(() => this.starting.delete(started));
  }
}

/** The gap between two kills: pacing the chaos, never a wait before an assertion. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
