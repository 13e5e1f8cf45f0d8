/**
 * Transport faults for the next calls, whatever their v3:
 * - 502html: HTTP 502 with nginx's HTML page;
 * - reset: the connection is destroyed after the request arrived (sent, never answered);
 * - truncated: HTTP 200 with a JSON body cut short;
 * - hang: no answer at all, until the client gives up.
 */
export const SIM_FAULT_KINDS = ['502html', 'reset', 'truncated', 'hang'] as const;
export type SimFaultKind = (typeof SIM_FAULT_KINDS)[number];

export function isSimFaultKind(value: unknown): value is SimFaultKind {
  return typeof value === 'string' && (SIM_FAULT_KINDS as readonly string[]).includes(value);
}

/** Faults wait in order of injection; each call takes at most one. */
export class FaultQueue {
  private pending: SimFaultKind[] = [];

  inject(kind: SimFaultKind, count = 1): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`fault count must be a positive integer, got ${count}`);
    for (let i = 0; i < count; i++) this.pending.push(kind);
  }

  take(): SimFaultKind | undefined {
    return this.pending.shift();
  }

  reset(): void {
    this.pending = [];
  }
}
