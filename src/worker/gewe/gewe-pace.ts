import type { GeweJob } from '../../providers/gewe/schema.js';
import type { JobRef } from '../../queue/job-ref.js';
import { nextMidnight, nextOpening } from '../../pacing/calendar.js';
import type { CallKind } from '../../pacing/gewe-pacer.js';
import { Wait } from '../wait.js';
import type { GeweProcessorDeps } from './gewe-context.js';

/** A reservation that comes due within this is taken now rather than delayed again. */
const DUE_WITHIN_MS = 5;

export interface Pace {
  intervalMs: number;
  cap: number;
  kind: CallKind;
}

/** The account's pace: its tier's interval, and its cap for this kind of call. */
export async function paceFor(data: GeweJob, deps: GeweProcessorDeps): Promise<Pace> {
  const g = deps.config.gewe;
  const tier = await deps.registry.tierOf(data.appId, deps.clock.now());
  const kind: CallKind = data.option === 2 ? 'add' : 'accept';
  const intervalMs = tier === 'new' ? g.newIntervalMs : g.intervalMs;
  const cap = kind === 'accept' ? g.dailyCapAccept : tier === 'new' ? g.dailyCapNew : g.dailyCap;
  return { intervalMs, cap, kind };
}

/**
 * Before the account is held: throws Wait until the job's turn, inside the active hours and at
 * its reserved slot (reserved once, in arrival order, so an account's jobs go FIFO).
 */
export async function awaitSlot(data: GeweJob, ref: JobRef, pace: Pace, retryAt: number, deps: GeweProcessorDeps) {
  const g = deps.config.gewe;
  const now = deps.clock.now();
  const opening = nextOpening(now, g.timeZone, g.activeHours);
  if (opening > now) throw new Wait(opening + jitterMs(pace.intervalMs, g.jitter), 'outside the active hours');
  const slot = await deps.pacer.reserve(data.appId, ref.stateId, pace.intervalMs, g.jitter, retryAt);
  if (slot > now + DUE_WITHIN_MS) throw new Wait(slot, "waiting for the account's turn");
}

/**
 * While the account is held: the account's last send is at least an interval ago and today's cap
 * is not reached; the send is recorded at once, and the caller must send straight after.
 */
export async function beginSend(data: GeweJob, ref: JobRef, pace: Pace, deps: GeweProcessorDeps) {
  const g = deps.config.gewe;
  const now = deps.clock.now();
  const answer = await deps.pacer.begin(data.appId, ref.stateId, pace.intervalMs, pace.kind, pace.cap);
  if (answer.kind === 'early') throw new Wait(now + answer.waitMs, 'account called too recently');
  if (answer.kind === 'cap') {
    throw new Wait(nextMidnight(now, g.timeZone) + jitterMs(pace.intervalMs, g.jitter), `daily cap of ${pace.cap} reached`);
  }
}

/** Spreads jobs that wake at the same instant (midnight, an opening). */
function jitterMs(intervalMs: number, jitter: number): number {
  return Math.round(Math.random() * intervalMs * Math.min(1, jitter));
}
