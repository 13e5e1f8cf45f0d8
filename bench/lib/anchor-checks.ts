import type { ArrivalFigures } from './tim-arrivals.js';
import { guaranteeChecks, type GuaranteeFigures } from './tim-checks.js';
import { holds, reported, type Check } from './verdicts.js';

/** One anchor's run of the full-batch backlog, as the simulator saw it. */
export type AnchorFigures = Omit<ArrivalFigures, 'firstArrivalAt' | 'lastArrivalAt'> & { jobs: number; failedJobs: number; finished: boolean };

const refusedText = (r: Record<string, number>) => {
  const parts = Object.entries(r).map(([code, n]) => `${n}× ${code}`);
  return parts.length ? ` (refused ${parts.join(', ')})` : '';
};

/**
 * Ours beside the anchors on one backlog. Judged: ours holds the limit and the guarantees, and
 * every anchor drained the backlog (else its figures describe a part of it). Reported: each
 * anchor's rate and worst sliding second, the comparison itself.
 */
export function anchorChecks(ours: GuaranteeFigures & { ratio: number; callsPerSec: number }, anchors: Record<string, AnchorFigures>, limit: number): Check[] {
  const names = Object.keys(anchors);
  const worst = names.map((n) => `${n}: ${anchors[n]!.maxInSlidingSecond}${refusedText(anchors[n]!.refused)}`).join('; ');
  const checks: Check[] = [
    reported(
      {
        subject: 'ours, full batches, 2 workers',
        figure: 'calls/s ÷ limit',
        detail: ` (${ours.callsPerSec} calls/s)`,
        beside: names.map((n) => `${n}: ${anchors[n]!.ratio}`).join('; '),
      },
      ours.ratio,
    ),
    ...guaranteeChecks(ours, limit, { maxInSlidingSecond: worst }).map((c) => ({ ...c, subject: `ours, ${c.subject}` })),
  ];
  for (const name of names) {
    const a = anchors[name]!;
    checks.push(reported({ subject: `anchor ${name}`, figure: 'calls/s ÷ limit', detail: ` (${a.callsPerSec} calls/s)` }, a.ratio));
    checks.push(reported({ subject: `anchor ${name}`, figure: 'most calls in a sliding second', detail: refusedText(a.refused) }, a.maxInSlidingSecond));
    checks.push(
      holds(
        {
          subject: `anchor ${name}`,
          figure: 'drained the backlog',
          measured: a.finished ? `${a.calls} calls for ${a.jobs} jobs` : `not drained: ${a.calls} calls for ${a.jobs} jobs`,
        },
        a.finished,
        'drained (figures cover the whole backlog)',
      ),
    );
  }
  return checks;
}
