/**
 * How a target behaves, read from its v3 (the part after `v3_`), so that a test or the demo picks
 * a behaviour by naming its targets. A real v3 (`v3_020b38…@stranger`) matches no prefix: success.
 */
export type SimBehaviour =
  | { kind: 'ok' }
  | { kind: 'final' }
  | { kind: 'already' }
  | { kind: 'transient'; failures: number }
  | { kind: 'freq' }
  | { kind: 'ticket' }
  | { kind: 'offline' }
  | { kind: 'unknown' }
  | { kind: 'hang' }
  | { kind: 'slow'; ms: number };

const RULES: ReadonlyArray<[RegExp, (m: RegExpExecArray) => SimBehaviour]> = [
  // `v3_transient3_x`: HTTP 502 HTML for the first 3 calls of this v3, then success.
  [/^v3_transient(\d*)/, (m) => ({ kind: 'transient', failures: m[1] ? Number(m[1]) : 1 })],
  // `v3_slow250_x`: success after 250 ms.
  [/^v3_slow(\d+)/, (m) => ({ kind: 'slow', ms: Number(m[1]) })],
  [/^v3_final/, () => ({ kind: 'final' })],
  [/^v3_already/, () => ({ kind: 'already' })],
  [/^v3_freq/, () => ({ kind: 'freq' })],
  [/^v3_ticket/, () => ({ kind: 'ticket' })],
  [/^v3_offline/, () => ({ kind: 'offline' })],
  [/^v3_unknown/, () => ({ kind: 'unknown' })],
  [/^v3_hang/, () => ({ kind: 'hang' })],
];

export function behaviourOf(v3: string): SimBehaviour {
  for (const [pattern, make] of RULES) {
    const m = pattern.exec(v3);
    if (m) return make(m);
  }
  return { kind: 'ok' };
}
