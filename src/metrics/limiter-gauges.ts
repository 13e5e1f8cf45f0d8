import { Counter, type Registry } from 'prom-client';
import { metricOnce } from './registry.js';

/** What the TIM gate knows of itself; read at scrape time. */
export interface GateStats {
  slotsGivenUp: number;
  lateAnswers: number;
}

/**
 * `friend_add_tim_slots_given_up_total`: TIM slots a worker gave back because it woke more than
 * 200 ms after them (a stalled process; a later wake is sent and reported instead). The gate
 * catches up on them; any count says the host starves its workers.
 *
 * `friend_add_tim_late_answers_total`: calls answered so late (past the process's best for their
 * size by more than the jitter margin) that they may have reached TIM past the margin; the gate
 * counted each from its latest possible arrival instead. A steady count means a slow or jittery
 * path to TIM, or starved workers, and costs rate.
 */
export function registerLimiterMetrics(registry: Registry, gate: GateStats): void {
  gateCounter(
    registry,
    'friend_add_tim_slots_given_up_total',
    'TIM rate slots given back because the worker stalled past them (woke over 200 ms late)',
    () => gate.slotsGivenUp,
  );
  gateCounter(
    registry,
    'friend_add_tim_late_answers_total',
    'TIM calls answered later than the margin allows for: each counted from its latest possible arrival',
    () => gate.lateAnswers,
  );
}

/** A counter that follows one of the gate's own totals at each scrape. */
function gateCounter(registry: Registry, name: string, help: string, total: () => number): void {
  let reported = 0;
  metricOnce(
    registry,
    name,
    () =>
      new Counter({
        name,
        help,
        registers: [registry],
        collect() {
          const now = total();
          this.inc(now - reported);
          reported = now;
        },
      }),
  );
}
