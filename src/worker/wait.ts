/**
 * Thrown by a processor step when the job must wait: its account is busy, resting or paused, or
 * its targets' retry time has not come. The job wrapper turns it into a delayed job in Redis
 * (never a held worker slot), in exactly one place: run-job.ts.
 *
 * It carries no stack: a wait is control flow, thrown on every waiting pass, and its stack is
 * never read (see src/lib/stackless.ts for what capturing it cost).
 */
export class Wait extends Error {
  override name = 'Wait';
  readonly untilMs: number;
  readonly reason: string;

  constructor(untilMs: number, reason: string) {
    const message = `wait until ${new Date(untilMs).toISOString()}: ${reason}`;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.untilMs = untilMs;
    this.reason = reason;
  }
}
