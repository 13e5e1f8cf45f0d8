import type { GeweJob } from '../../providers/gewe/schema.js';
import type { JobRef } from '../../queue/job-ref.js';
import { nextMidnight, nextOpening } from '../../pacing/calendar.js';
import { kindOfOption, type CallKind } from '../../pacing/pace-lanes.js';
import { Wait } from '../wait.js';
import { sleep } from '../../lib/sleep.js';
import type { GeweProcessorDeps } from './gewe-context.js';
import type { GeweTier } from '../../accounts/gewe-registry.js';
import type { Config } from '../../config/config.js';
import type { BeginAnswer, Reservation, TierIntervals } from '../../pacing/gewe-pacer.js';

type GeweConfig = Config['gewe'];

/** A reservation that comes due within this is taken now rather than delayed again. */
export const DUE_WITHIN_MS = 5;

/** Why a job waits for its reserved slot, as its log tells it. */
export const SLOT_WAIT = "waiting for the account's turn";

/**
 * An account called too recently by at most this is waited for in place (see beginSend): a
 * tenth of the lane's interval, at most a second (about what a GeWe call takes). Longer waits in
 * place cost more than the pass they save: at 1 s intervals, half an interval held so many
 * worker slots that 200 accounts took longer (gewe-fairness 1.92 against 1.64 at a tenth).
 */
function waitInPlaceMs(intervalMs: number): number {
  return Math.min(1000, intervalMs / 10);
}

export interface Pace {
  intervalMs: number;
  cap: number;
  kind: CallKind;
}

/**
 * The account's pace for this kind of call. Adds: the tier's interval and cap. Accepts and
 * rejects: their own lane, GEWE_ACCEPT_INTERVAL_MS apart whatever the tier (the person asked
 * first), with their own cap, so that a backlog of adds never holds them up.
 */
export function paceOf(kind: CallKind, tier: GeweTier, g: GeweConfig): Pace {
  if (kind === 'accept') return { intervalMs: g.acceptIntervalMs, cap: g.dailyCapAccept, kind };
  return tier === 'new' ? { intervalMs: g.newIntervalMs, cap: g.dailyCapNew, kind } : { intervalMs: g.intervalMs, cap: g.dailyCap, kind };
}

/**
 * The pace as the account's tier says now, in a round trip of its own (outside the active hours,
 * where no slot is reserved). Also notes an account nobody registered, for `accounts unregistered`.
 */
export async function paceFor(data: GeweJob, deps: GeweProcessorDeps): Promise<Pace> {
  const tier = await deps.registry.tierOf(data.appId, deps.clock.now());
  return paceOf(kindOfOption(data.option), tier, deps.config.gewe);
}

/**
 * Before the account is held: throws Wait until the job's turn, inside the active hours and at
 * its reserved slot (reserved once, in arrival order within its lane, so an account's adds go
 * FIFO, and so do its accepts and rejects). Returns the pace of the tier read with the slot.
 */
export async function awaitSlot(data: GeweJob, ref: JobRef, retryAt: number, deps: GeweProcessorDeps, reserved?: Reservation): Promise<Pace> {
  const g = deps.config.gewe;
  const now = deps.clock.now();
  const opening = nextOpening(now, g.timeZone, g.activeHours);
  if (opening > now) {
    const pace = await paceFor(data, deps);
    throw new Wait(opening + jitterMs(pace.intervalMs, g.jitter), 'outside the active hours');
  }
  const kind = kindOfOption(data.option);
  const { slot, tier } = reserved ?? (await deps.pacer.reserve(data.appId, ref.stateId, kind, tierIntervals(kind, deps, now), g.jitter, retryAt));
  if (slot > now + DUE_WITHIN_MS) throw new Wait(slot, SLOT_WAIT);
  return paceOf(kind, tier, g);
}

/**
 * The reservation a pass may ask for in its first step (gewe-start.ts), as awaitSlot would make
 * it: inside the active hours, and not while this worker has seen its credential suspended (its
 * jobs wait). gewe-start.lua raises its not-before to the job's `retryAt`.
 */
export function slotStep(data: GeweJob, ref: JobRef, deps: GeweProcessorDeps): { keys: string[]; args: (string | number)[] } | undefined {
  const g = deps.config.gewe;
  const now = deps.clock.now();
  if (nextOpening(now, g.timeZone, g.activeHours) > now || deps.credential?.suspected) return undefined;
  const kind = kindOfOption(data.option);
  return deps.pacer.reserveStep(data.appId, ref.stateId, kind, tierIntervals(kind, deps, now), g.jitter, 0);
}

function tierIntervals(kind: CallKind, deps: GeweProcessorDeps, now: number): TierIntervals {
  const g = deps.config.gewe;
  return {
    newMs: paceOf(kind, 'new', g).intervalMs,
    seasonedMs: paceOf(kind, 'seasoned', g).intervalMs,
    seasonedIfOnlineBy: deps.registry.seasonedIfOnlineBy(now),
  };
}

/**
 * While the account is held: the lane's last send is at least an interval ago and today's cap
 * is not reached (`begun`: that check's answer, when it was made as the account was taken); the send is recorded at once, and the job marked in flight in the same step
 * (a worker stopped from here on never sends this add again), so the caller must send straight after.
 */
export async function beginSend(data: GeweJob, ref: JobRef, pace: Pace, deps: GeweProcessorDeps, begun?: BeginAnswer) {
  const g = deps.config.gewe;
  const now = deps.clock.now();
  const markJob = { ttlMs: deps.config.requestTtlMs };
  const begin = () => deps.pacer.begin(data.appId, ref.stateId, pace.intervalMs, pace.kind, pace.cap, markJob);
  let answer = begun ?? (await begin());
  // The slot was reserved an interval after the last call's start, but the lane's spacing counts
  // from its end: a job woken at its slot is early by that call's latency (and by how late that
  // call woke). Waiting that out here, holding the account as the call is next anyway, saves a
  // trip through delayed: a whole pass of the job. A timer may fire a millisecond early by
  // Date.now() (the lane's clock here), hence the extra millisecond and a few looks.
  for (let look = 0; look < 3 && answer.kind === 'early' && answer.waitMs <= waitInPlaceMs(pace.intervalMs); look += 1) {
    await sleep(answer.waitMs + 1);
    answer = await begin();
  }
  if (answer.kind === 'early') throw new Wait(deps.clock.now() + answer.waitMs, 'account called too recently');
  if (answer.kind === 'cap') {
    throw new Wait(nextMidnight(now, g.timeZone) + jitterMs(pace.intervalMs, g.jitter), `daily cap of ${pace.cap} reached`);
  }
}

/** Spreads jobs that wake at the same instant (midnight, an opening). */
function jitterMs(intervalMs: number, jitter: number): number {
  return Math.round(Math.random() * intervalMs * Math.min(1, jitter));
}
