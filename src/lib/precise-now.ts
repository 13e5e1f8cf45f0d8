import { performance } from 'node:perf_hooks';

/** Wall-clock milliseconds with sub-millisecond precision (Date.now() is whole ms). */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
