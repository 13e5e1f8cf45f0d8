import { Counter, Histogram, type Registry } from 'prom-client';
import type { CallObserver } from '../worker/call-observer.js';
import { metricOnce } from './registry.js';

/** Provider latency: a TIM call of 1000 targets takes ~100 ms, a slow GeWe one seconds. */
const CALL_BUCKETS_SEC = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];
/** Limiter waits: from a free slot (0) to a TIM permit horizon of seconds. */
const WAIT_BUCKETS_SEC = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Counts calls, latencies, limiter waits and published results into `registry`. Results are
 * counted when their batch is published; a batch published again after a crash (same result
 * job id) is counted again, so results_total is at-least-once.
 */
export function createMetricsObserver(registry: Registry): CallObserver {
  const calls = metricOnce(
    registry,
    'friend_add_provider_calls_total',
    () =>
      new Counter({
        name: 'friend_add_provider_calls_total',
        help: 'Provider calls, by provider and the code of the call as a whole (TIM ErrorCode, GeWe ret, or timeout/network/http_NNN).',
        labelNames: ['provider', 'code'],
        registers: [registry],
      }),
  );
  const duration = metricOnce(
    registry,
    'friend_add_call_duration_seconds',
    () =>
      new Histogram({
        name: 'friend_add_call_duration_seconds',
        help: 'Provider call latency, from send to classified answer.',
        labelNames: ['provider'],
        buckets: CALL_BUCKETS_SEC,
        registers: [registry],
      }),
  );
  const results = metricOnce(
    registry,
    'friend_add_results_total',
    () =>
      new Counter({
        name: 'friend_add_results_total',
        help: 'Final target results published to friend-add-results, by provider and outcome.',
        labelNames: ['provider', 'outcome'],
        registers: [registry],
      }),
  );
  const waits = metricOnce(
    registry,
    'friend_add_limiter_wait_seconds',
    () =>
      new Histogram({
        name: 'friend_add_limiter_wait_seconds',
        help: 'Time a call waited on a limiter before it was sent, by provider and reason (rate: the TIM gate; account: in its slot for its busy account).',
        labelNames: ['provider', 'reason'],
        buckets: WAIT_BUCKETS_SEC,
        registers: [registry],
      }),
  );
  const internalErrors = metricOnce(
    registry,
    'friend_add_internal_errors_total',
    () =>
      new Counter({
        name: 'friend_add_internal_errors_total',
        help: 'Unexpected errors while processing a job (a bug, Redis away); gave_up="true" when MAX_ATTEMPTS in a row ended its open targets failed/internal_error.',
        labelNames: ['provider', 'gave_up'],
        registers: [registry],
      }),
  );
  const handedOff = metricOnce(
    registry,
    'friend_add_jobs_handed_off_total',
    () =>
      new Counter({
        name: 'friend_add_jobs_handed_off_total',
        help: 'Jobs this worker could not serve, moved to the hand-off queue of the service they need (tim, tim:<sdkAppId>, gewe).',
        labelNames: ['service'],
        registers: [registry],
      }),
  );
  // Observers must never throw into the worker: a bad label or value is dropped, not raised.
  const safely = (fn: () => void) => {
    try {
      fn();
    } catch {
      /* metrics are best effort */
    }
  };
  return {
    call: (provider, verdict, latencyMs) =>
      safely(() => {
        calls.inc({ provider, code: String(verdict.callCode) });
        duration.observe({ provider }, latencyMs / 1000);
      }),
    waited: (provider, reason, ms) => safely(() => waits.observe({ provider, reason }, Math.max(0, ms) / 1000)),
    published: (batch) =>
      safely(() => {
        // One increment per outcome, not per result: a batch holds up to 1000 results.
        const counts = new Map<string, number>();
        for (const r of batch.results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
        for (const [outcome, n] of counts) results.inc({ provider: batch.provider, outcome }, n);
      }),
    internalError: (provider, gaveUp) => safely(() => internalErrors.inc({ provider, gave_up: String(gaveUp) })),
    handedOff: (service) => safely(() => handedOff.inc({ service })),
  };
}
