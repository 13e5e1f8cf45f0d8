import { Counter, type Registry } from 'prom-client';
import { metricOnce } from './registry.js';

/** What the TIM gate knows of itself; read at scrape time. */
export interface GateStats {
  slotsGivenUp: number;
}

/**
 * `friend_add_tim_slots_given_up_total`: TIM slots a worker gave back because it woke more than
 * 200 ms after them (a stalled process; a later wake is sent and reported instead). The gate
 * catches up on them; any count says the host starves its workers.
 */
export function registerLimiterMetrics(registry: Registry, gate: GateStats): void {
  let reported = 0;
  metricOnce(
    registry,
    'friend_add_tim_slots_given_up_total',
    () =>
      new Counter({
        name: 'friend_add_tim_slots_given_up_total',
        help: 'TIM rate slots given back because the worker stalled past them (woke over 200 ms late)',
        registers: [registry],
        collect() {
          this.inc(gate.slotsGivenUp - reported);
          reported = gate.slotsGivenUp;
        },
      }),
  );
}
