import { ArrivalLog } from './arrival-log.js';
import { FaultQueue } from './faults.js';

/** Everything one simulator instance remembers; the HTTP handlers and the library API share it. */
export interface SimState {
  readonly token: string;
  /** Delay before every answer, in ms, so that overlapping calls are visible. */
  readonly latencyMs: number;
  readonly log: ArrivalLog;
  readonly faults: FaultQueue;
  /** Calls answered per v3 so far, for `v3_transient<N>`. */
  readonly callsByV3: Map<string, number>;
  /** Every addContacts call that reached the simulator, per v3 ('' when the body named none), faults included. */
  readonly reachedByV3: Map<string, number>;
  /** Runs `fn` after `ms`; pending runs are dropped on close. */
  later(ms: number, fn: () => void): void;
  /** Back to the just-started state: arrivals, counters, faults and spacing rules forgotten. */
  reset(): void;
  /** Drops pending runs; the server is closing. */
  stop(): void;
}

export function createSimState(token: string, latencyMs: number): SimState {
  const timers = new Set<NodeJS.Timeout>();
  const log = new ArrivalLog();
  const faults = new FaultQueue();
  const callsByV3 = new Map<string, number>();
  const reachedByV3 = new Map<string, number>();
  return {
    token,
    latencyMs,
    log,
    faults,
    callsByV3,
    reachedByV3,
    later(ms, fn) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
    },
    reset() {
      log.reset();
      faults.reset();
      callsByV3.clear();
      reachedByV3.clear();
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
