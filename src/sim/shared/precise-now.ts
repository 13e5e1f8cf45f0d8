/**
 * Wall-clock milliseconds with sub-millisecond precision, and monotonic within a process (unlike
 * Date.now, which an NTP step can move back). Arrival times in simulators come from here.
 */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
