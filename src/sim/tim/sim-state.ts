import { InFlight } from '../shared/in-flight.js';
import { KeyedSlidingWindows } from '../shared/sliding-window.js';
import { TimerSet } from '../shared/timers.js';
import { RequestIds } from './answer.js';
import { FaultQueue } from './faults.js';
import { FriendBook } from './friend-book.js';
import type { Arrival, FaultKind, TimSimStats, TimSimulatorOptions, Violation } from './types.js';
import { UserSigCache } from './usersig.js';

/** The options with their defaults applied. */
export type TimSimConfig = Required<Omit<TimSimulatorOptions, 'port' | 'host' | 'arrivalGateway'>>;

export function resolveConfig(options: TimSimulatorOptions): TimSimConfig {
  return {
    sdkAppId: options.sdkAppId,
    secretKey: options.secretKey,
    admin: options.admin ?? 'administrator',
    ratePerSec: options.ratePerSec ?? 100,
    latencyMs: options.latencyMs ?? 2,
    keepLog: options.keepLog ?? true,
  };
}

/** Everything one simulator remembers. `reset` forgets it all except calls still in flight. */
export class TimSimState {
  readonly book = new FriendBook();
  readonly faults = new FaultQueue();
  /**
   * Arrivals per SDKAppID in the last 1000 ms. Every call received counts, refused ones too:
   * TIM counts the calls it receives, so a client that keeps calling while refused stays refused.
   */
  readonly windows = new KeyedSlidingWindows(1000);
  readonly inFlight = new InFlight();
  sigs: UserSigCache;
  readonly requestIds = new RequestIds();
  readonly timers = new TimerSet();
  private arrivalLog: Arrival[] = [];
  private violationLog: Violation[] = [];
  private counters = emptyCounters();

  constructor(readonly config: TimSimConfig) {
    this.sigs = new UserSigCache(config.secretKey);
  }

  /** Counts an arrival in its SDKAppID's window; true when it is over the limit. */
  arrive(sdkAppId: string, at: number): boolean {
    const inWindow = this.windows.hit(sdkAppId, at);
    if (inWindow > this.counters.maxInWindow) this.counters.maxInWindow = inWindow;
    return inWindow > this.config.ratePerSec;
  }

  record(arrival: Arrival): void {
    const c = this.counters;
    c.calls++;
    c.targets += arrival.count;
    if (arrival.rejected) bump(c.rejected, arrival.rejected);
    if (arrival.fault) bump(c.faults, arrival.fault);
    if (this.config.keepLog) this.arrivalLog.push(arrival);
  }

  violation(kind: Violation['kind'], at: number, fromAccount: string): void {
    this.violationLog.push({ kind, at, fromAccount });
    this.counters.violations[kind]++;
  }

  countItem(code: number | 'invalid'): void {
    bump(this.counters.items, String(code));
  }

  /** A key rotated in the console: UserSigs signed with the old one no longer verify. */
  rotateKey(secretKey: string): void {
    this.sigs = new UserSigCache(secretKey);
  }

  injectFault(kind: FaultKind, count?: number, ms?: number): void {
    this.faults.inject(kind, count, ms);
  }

  arrivals(): readonly Arrival[] {
    return this.arrivalLog;
  }

  violations(): readonly Violation[] {
    return this.violationLog;
  }

  stats(): TimSimStats {
    const c = this.counters;
    return {
      ...c,
      rejected: { ...c.rejected },
      faults: { ...c.faults },
      items: { ...c.items },
      violations: { ...c.violations },
      inFlight: this.inFlight.size,
      faultsPending: this.faults.pending,
    };
  }

  reset(): void {
    this.arrivalLog = [];
    this.violationLog = [];
    this.counters = emptyCounters();
    this.book.clear();
    this.faults.clear();
    this.windows.clear();
  }
}

function emptyCounters() {
  return {
    calls: 0,
    targets: 0,
    rejected: {} as Record<string, number>,
    faults: {} as Record<string, number>,
    items: {} as Record<string, number>,
    violations: { overlap: 0, rate: 0 },
    maxInWindow: 0,
  };
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
