import { SingleBar } from 'cli-progress';
import { OUTCOMES } from '../domain/types.js';
import type { RequestStatus } from '../client/read-request.js';
import type { CliIo } from './cli-io.js';

/** Shows a running request's progress: a bar on a terminal, plain lines anywhere else. */
export interface ProgressView {
  update(status: RequestStatus): void;
  stop(): void;
}

export function createProgressView(io: CliIo): ProgressView {
  return io.interactive ? new BarView(io) : new LinesView(io);
}

/** `added 5, requested 1, refused 2`: the outcomes that have happened, in the contract's order. */
export function countsByOutcome(status: RequestStatus): string {
  const counts = OUTCOMES.filter((o) => status.totals[o] > 0).map((o) => `${o} ${status.totals[o]}`);
  return counts.length ? counts.join(', ') : 'no results yet';
}

function finalCount(status: RequestStatus): number {
  return Math.max(0, status.total - status.open);
}

/** cli-progress on stdout; it restores the cursor itself on Ctrl-C (gracefulExit). */
class BarView implements ProgressView {
  private readonly bar: SingleBar;
  private started = false;

  constructor(io: CliIo) {
    this.bar = new SingleBar({
      format: '{requestId} [{bar}] {value}/{total} final | {counts} | {open} open',
      stream: io.stdout,
      hideCursor: true,
      gracefulExit: true,
      barsize: 30,
      barCompleteChar: '#',
      barIncompleteChar: '-',
    });
  }

  update(status: RequestStatus): void {
    const payload = { requestId: status.requestId, counts: countsByOutcome(status), open: status.open };
    if (!this.started) {
      this.bar.start(Math.max(status.total, 1), finalCount(status), payload);
      this.started = true;
      return;
    }
    this.bar.setTotal(Math.max(status.total, 1));
    this.bar.update(finalCount(status), payload);
  }

  stop(): void {
    if (this.started) this.bar.stop();
  }
}

/** One line each time the counts change: readable in a log file or a CI job, no escape codes. */
class LinesView implements ProgressView {
  private last = '';

  constructor(private readonly io: CliIo) {}

  update(status: RequestStatus): void {
    const line = `${status.requestId}: ${finalCount(status)}/${status.total} final (${countsByOutcome(status)}), ${status.open} open`;
    if (line === this.last) return;
    this.last = line;
    this.io.out(line);
  }

  stop(): void {}
}
