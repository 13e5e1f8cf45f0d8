import type { Job } from 'bullmq';
import type { Logger } from '../lib/logger.js';
import type { RedisClient } from '../lib/redis-client.js';
import { scriptBeside } from '../lib/lua-script.js';
import type { Wait } from './wait.js';

const appendScript = scriptBeside(import.meta.url, 'wait-log.lua');

/** Jobs remembered at once; a job that moved to another worker is forgotten oldest first. */
const REMEMBERED_JOBS = 10_000;

/** How long a line may wait to be written with others, and how many go in one step at most. */
export const WAIT_LOG_FLUSH_MS = 50;
const MOST_PER_STEP = 200;

interface PendingLine {
  jobKey: string;
  line: string;
  keepLogs: string;
}

/**
 * Writes why a job waits, and until when, into its BullMQ log (what `job.log` writes), which the
 * dashboard shows: a delayed job says nothing else. A reason is written once while it repeats, so
 * that a job waiting its turn for an hour keeps a short log. What was last written is remembered
 * in this process only: a job that moves between workers may repeat a line, never lose one.
 *
 * Lines are written together, at most WAIT_LOG_FLUSH_MS after the first of them, in one step
 * (wait-log.lua). Why: one line per waiting pass was one Redis command in five of the pass, and
 * a GeWe backlog's first sweep is mostly waiting passes (docs/benchmarks.md, fourteenth sitting).
 * Best effort, as before: a line lost with a killed worker never holds a job up.
 */
export class WaitLog {
  private readonly last = new Map<string, string>();
  private pending: PendingLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: RedisClient,
    private readonly logger: Logger,
  ) {}

  note(job: Job, wait: Wait): void {
    const id = String(job.id);
    if (this.last.get(id) === wait.reason) return;
    this.last.delete(id);
    this.last.set(id, wait.reason);
    if (this.last.size > REMEMBERED_JOBS) this.last.delete(this.last.keys().next().value!);
    const line = `${new Date().toISOString()} waits until ${new Date(wait.untilMs).toISOString()}: ${wait.reason}`;
    const keepLogs = job.opts.keepLogs;
    this.pending.push({ jobKey: `${job.queueQualifiedName}:${id}`, line, keepLogs: keepLogs ? String(keepLogs) : '' });
    if (this.pending.length >= MOST_PER_STEP) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), WAIT_LOG_FLUSH_MS);
  }

  forget(job: Job): void {
    this.last.delete(String(job.id));
  }

  /** Writes the lines noted so far; resolves once every line noted before it is written (or dropped). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.pending;
    this.pending = [];
    if (lines.length > 0) this.writing = this.writing.then(() => this.write(lines));
    return this.writing;
  }

  private async write(lines: PendingLine[]): Promise<void> {
    const keys = lines.flatMap((l) => [l.jobKey, `${l.jobKey}:logs`]);
    const args = lines.flatMap((l) => [l.line, l.keepLogs]);
    try {
      await appendScript.run(this.redis, keys, args);
    } catch (err) {
      this.logger.debug({ err, lines: lines.length }, 'could not write waits to the job logs');
    }
  }
}
