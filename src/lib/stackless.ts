/**
 * Makes an error without capturing its stack. For errors that are control flow, never read: a
 * job that waits throws twice a pass (Wait, then BullMQ's DelayedError), and capturing those
 * stacks through the worker's async frames was ~2.5 % of the worker's CPU in the GeWe sweep of
 * `npm run bench` (docs/benchmarks.md).
 */
export function stackless<T extends Error>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
