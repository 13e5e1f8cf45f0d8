/**
 * Thrown by a processor step when the job must wait: its account is busy, resting or paused, or
 * its targets' retry time has not come. The job wrapper turns it into a delayed job in Redis
 * (never a held worker slot), in exactly one place: run-job.ts.
 */
export class Wait extends Error {
  override name = 'Wait';
  constructor(
    readonly untilMs: number,
    readonly reason: string,
  ) {
    super(`wait until ${new Date(untilMs).toISOString()}: ${reason}`);
  }
}
