/** Epoch milliseconds with sub-millisecond precision: spacing checks are about single ms. */
export function preciseNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** One addContacts call as the simulator saw it arrive. */
export interface GeweArrival {
  /** When the request reached the handler, in epoch ms (sub-ms precision). */
  at: number;
  /** '' when the body carried no string appId. */
  appId: string;
  option: number | null;
  v3: string;
  /** Time since the previous arrival of the same appId, in ms; null for its first call. */
  gapMs: number | null;
  /** It arrived while another call of the same appId was still unanswered. */
  overlap: boolean;
  /** It came sooner after the previous call of its appId than that appId's minimum spacing. */
  tooClose: boolean;
  /** When its answer was written or its client went away; null while it is in flight. */
  endedAt: number | null;
}

export interface GeweViolation {
  kind: 'overlap' | 'tooClose';
  appId: string;
  v3: string;
  at: number;
  gapMs: number | null;
  /** Set for `tooClose`: the spacing that was asked for. */
  minSpacingMs?: number;
}

interface AccountState {
  inFlight: number;
  /** Latest arrival time seen. */
  lastAt: number | undefined;
  /** Latest time an answer was written (or the client went away). */
  lastEnd: number;
}

/**
 * Arrivals and the two rules GeWe gives: one call at a time per account, and spacing between
 * calls. Both are judged as the provider sees them, by arrival, not as a worker sends them.
 */
export class ArrivalLog {
  private log: GeweArrival[] = [];
  private accounts = new Map<string, AccountState>();
  private minSpacing = new Map<string, number>();

  /**
   * Records a call that arrived at `at` (taken before its body was read). Returns `done`, to call
   * just before its answer is written, or when the client goes away; calling it twice is harmless.
   */
  record(at: number, appId: string, option: number | null, v3: string): () => void {
    const account = this.account(appId);
    // The body is read after `at`, so a call whose answer was written after we arrived overlapped
    // us even if it is no longer in flight now.
    const overlap = account.inFlight > 0 || account.lastEnd > at;
    const gapMs = account.lastAt === undefined ? null : at - account.lastAt;
    const min = this.minSpacing.get(appId);
    const tooClose = min !== undefined && gapMs !== null && gapMs < min;
    account.lastAt = account.lastAt === undefined ? at : Math.max(account.lastAt, at);
    account.inFlight += 1;
    const arrival: GeweArrival = { at, appId, option, v3, gapMs, overlap, tooClose, endedAt: null };
    this.log.push(arrival);

    let finished = false;
    // Bound to this account object: after a reset, late finishes touch the old state only.
    return () => {
      if (finished) return;
      finished = true;
      arrival.endedAt = preciseNowMs();
      account.inFlight -= 1;
      account.lastEnd = Math.max(account.lastEnd, arrival.endedAt);
    };
  }

  arrivals(): GeweArrival[] {
    return this.log.map((a) => ({ ...a }));
  }

  violations(): GeweViolation[] {
    const out: GeweViolation[] = [];
    for (const a of this.log) {
      const base = { appId: a.appId, v3: a.v3, at: a.at, gapMs: a.gapMs };
      if (a.overlap) out.push({ kind: 'overlap', ...base });
      if (a.tooClose) out.push({ kind: 'tooClose', ...base, minSpacingMs: this.minSpacing.get(a.appId) });
    }
    return out;
  }

  /** Least spacing wanted between two arrivals of `appId`; `null` removes it. Applies to later calls. */
  setMinSpacing(appId: string, ms: number | null): void {
    if (ms === null) this.minSpacing.delete(appId);
    else this.minSpacing.set(appId, ms);
  }

  /** Forgets arrivals, in-flight state and spacing rules. */
  reset(): void {
    this.log = [];
    this.accounts = new Map();
    this.minSpacing = new Map();
  }

  private account(appId: string): AccountState {
    let state = this.accounts.get(appId);
    if (!state) {
      state = { inFlight: 0, lastAt: undefined, lastEnd: 0 };
      this.accounts.set(appId, state);
    }
    return state;
  }
}
