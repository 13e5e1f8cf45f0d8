/** How many recent answers of one size class the floor is the least of. */
const SAMPLES_PER_CLASS = 100;

/**
 * The least time from send to answer among a process's recent calls of about the same size: what
 * the path and the provider take at best. A call answered later than that by more than the jitter
 * margin may have arrived that much later than it left (an answer never comes before its call
 * arrived), so the gate moves its log entry on (TimRateGate, `answered`).
 *
 * Sizes are classed by powers of two (1, 2, 3–4, …, 513–1000 targets): a 1000-target call takes
 * the provider longer than a one-target call, and measured against the one-target floor every full
 * batch would look late. Recent, not all-time: a path that got slower for good stops looking late
 * after SAMPLES_PER_CLASS answers.
 */
export class AnswerFloor {
  private readonly recent = new Map<number, number[]>();

  /**
   * The floor for a call of `targets`, from the answers recorded before it; 0 when none was (the
   * first call of its class is judged against the whole of its time, the cautious side).
   */
  floorFor(targets: number): number {
    const samples = this.recent.get(sizeClass(targets));
    return samples && samples.length > 0 ? Math.min(...samples) : 0;
  }

  /** Records one answer's time, send to answer. */
  record(targets: number, tookMs: number): void {
    if (!(tookMs >= 0)) return;
    const cls = sizeClass(targets);
    const samples = this.recent.get(cls) ?? [];
    this.recent.set(cls, samples);
    samples.push(tookMs);
    if (samples.length > SAMPLES_PER_CLASS) samples.shift();
  }
}

function sizeClass(targets: number): number {
  return Math.ceil(Math.log2(Math.max(1, targets)));
}
