/** Progress goes to stderr: stdout carries the one JSON report and nothing else. */
export function log(...parts: unknown[]): void {
  const text = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 23)}] ${text}\n`);
}

/** Rounds for the report: figures carry the digits that mean something, no more. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
