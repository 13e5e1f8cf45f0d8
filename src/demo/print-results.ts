import type { TargetResult } from '../domain/types.js';

export type Row = TargetResult & { account: string; provider: string };

/** Counts by outcome, sorted by name. */
export function totalsByOutcome(rows: readonly Row[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const r of rows) totals[r.outcome] = (totals[r.outcome] ?? 0) + 1;
  return Object.fromEntries(Object.entries(totals).sort(([a], [b]) => a.localeCompare(b)));
}

/** A fixed-width table of per-target results. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['provider', 'account', 'target', 'outcome', 'code', 'attempts', 'info'];
  const lines = rows.map((r) => [r.provider, r.account, r.target, r.outcome, String(r.code), String(r.attempts), r.info.slice(0, 40)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}
