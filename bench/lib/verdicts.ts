/**
 * Verdicts computed from figures, never written by hand. Each scenario turns its figures into
 * `checks`; `goalMet` is true only when every check with a goal is met. A figure that is missing,
 * NaN or unjudged fails its check: nothing counts as met for want of data. The report carries the
 * checks, and scripts/bench-table.ts prints them as they are: no second copy of a threshold.
 */

/** One row of the report's table: a figure, what it is held against, and whether it holds. */
export interface Check {
  /** Which run it belongs to, e.g. "full batches, 2 workers". */
  subject: string;
  /** What is measured, e.g. "calls/s ÷ limit". */
  figure: string;
  /** The figure as a number (null: it could not be measured), for charts. */
  value: number | null;
  /** The figure as printed. */
  measured: string;
  /** The goal as printed; null for a figure reported without a goal. */
  goal: string | null;
  /** null only when `goal` is null; a goal with no figure to judge is false. */
  met: boolean | null;
  /** A same-run anchor, a computed bound (labelled as such) or a reference from another run. */
  beside?: string;
}

type Fmt = (v: number) => string;
const plain: Fmt = (v) => (Number.isInteger(v) ? v.toLocaleString('en-US') : String(v));
const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

interface Row {
  subject: string;
  figure: string;
  beside?: string;
  /** How the value is printed (default: as is, thousands separated). */
  fmt?: Fmt;
  /** Printed after the value, e.g. " (97.7 calls/s)". */
  detail?: string;
}

function row(r: Row, value: number | null | undefined, goal: string | null, met: boolean | null): Check {
  const v = finite(value) ? value : null;
  const measured = v === null ? 'not measured' : `${(r.fmt ?? plain)(v)}${r.detail ?? ''}`;
  return { subject: r.subject, figure: r.figure, value: v, measured, goal, met, ...(r.beside !== undefined && { beside: r.beside }) };
}

/** Met when the figure is at least `min`. */
export function atLeast(r: Row, value: number | null | undefined, min: number, goal = `≥ ${plain(min)}`): Check {
  return row(r, value, goal, finite(value) && value >= min);
}

/** Met when the figure is at most `max`. */
export function atMost(r: Row, value: number | null | undefined, max: number, goal = `≤ ${plain(max)}`): Check {
  return row(r, value, goal, finite(value) && value <= max);
}

/** Met when the figure is below `max`. */
export function below(r: Row, value: number | null | undefined, max: number, goal = `< ${plain(max)}`): Check {
  return row(r, value, goal, finite(value) && value < max);
}

/** Met when the figure is exactly `expected` (a count: failed jobs 0, results = targets). */
export function exactly(r: Row, value: number | null | undefined, expected: number, goal = plain(expected)): Check {
  return row(r, value, goal, finite(value) && value === expected);
}

/** A yes/no guarantee (a run finished, RSS stayed flat): null (not judged) is not met. */
export function holds(r: Row & { measured: string }, ok: boolean | null | undefined, goal: string): Check {
  return {
    subject: r.subject,
    figure: r.figure,
    value: ok === true ? 1 : ok === false ? 0 : null,
    measured: r.measured,
    goal,
    met: ok === true,
    ...(r.beside !== undefined && { beside: r.beside }),
  };
}

/** A figure reported without a goal. */
export function reported(r: Row, value: number | null | undefined): Check {
  return row(r, value, null, null);
}

/** The scenario's verdict: met only if it has checks with goals and every one is met. */
export function verdict(checks: readonly Check[]): { goalMet: boolean; failed: string[] } {
  const judged = checks.filter((c) => c.goal !== null);
  const failed = judged.filter((c) => c.met !== true).map((c) => `${c.subject}: ${c.figure} ${c.measured}, goal ${c.goal}`);
  return { goalMet: judged.length > 0 && failed.length === 0, failed };
}

/**
 * What `npm run bench` exits with: 1 when a scenario could not run, 3 when one missed its goal
 * (0 with `noFail`, for exploring), 0 when every scenario ran and met its goal.
 */
export function exitCode(scenarios: readonly { goalMet: boolean; error?: unknown }[], noFail: boolean): number {
  if (scenarios.length === 0 || scenarios.some((s) => s.error !== undefined)) return 1;
  if (noFail) return 0;
  return scenarios.every((s) => s.goalMet === true) ? 0 : 3;
}
