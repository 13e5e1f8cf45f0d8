/**
 * Transport faults for the next calls, whatever their v3. Before the call is acted on:
 * - 502html: HTTP 502 with nginx's HTML page;
 * - reset: the connection is destroyed after the request arrived (sent, never answered);
 * - truncated: HTTP 200 with a JSON body cut short;
 * - hang: no answer at all, until the client gives up.
 * After the call was acted on (the add is made, as its v3 says), what a gateway in front of GeWe
 * does when GeWe answers too late for it or the way back breaks:
 * - 504-after-add: HTTP 504 with a gateway's HTML page instead of GeWe's answer;
 * - reset-after-add: the connection is destroyed instead of the answer.
 */
export const SIM_FAULT_KINDS = ['502html', 'reset', 'truncated', 'hang', '504-after-add', 'reset-after-add'] as const;
export type SimFaultKind = (typeof SIM_FAULT_KINDS)[number];

/** Faults that let the call be acted on first, and replace only its answer. */
export type AfterAddFault = Extract<SimFaultKind, '504-after-add' | 'reset-after-add'>;

export function isAfterAddFault(kind: SimFaultKind | undefined): kind is AfterAddFault {
  return kind === '504-after-add' || kind === 'reset-after-add';
}

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
