import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { scriptBeside } from '../lib/lua-script.js';
import { sendCommand } from '../lib/turn-pipeline.js';
import { sleep } from '../lib/sleep.js';
import { SECOND } from '../lib/time.js';
import { preciseNow } from '../lib/precise-now.js';
import { RedisClockOffset } from './redis-clock-offset.js';
import { AnswerFloor } from './answer-floor.js';

/**
 * The most a slot's wake and a send's log entry are pushed later for clock uncertainty. A process
 * whose best round trip to Redis took longer than twice this (a start on a starved CPU) gets this
 * much: its next round trips, each a chance of a better sample, bring it down.
 */
const CLOCK_ERROR_CAP_MS = 100;

/** After a 60007 the rate climbs back by a tenth of the limit per this much time without another. */
export const CLIMB_STEP_MS = 5 * SECOND;

const reserve = scriptBeside(import.meta.url, 'gate-reserve.lua');
const penalize = scriptBeside(import.meta.url, 'gate-penalize.lua');

export interface TimRateGateOptions {
  /** Calls per second per SDKAppID, all workers together (TIM_RATE_PER_SEC). */
  ratePerSec: number;
  /**
   * The longest delay from our socket to TIM's arrival stamp the limit must survive
   * (TIM_JITTER_MARGIN_MS): the window is 1000 ms + this. It also caps the rate at
   * 1000 / (1000 + margin) of the limit. @defaultValue 25 ms
   */
  jitterMarginMs?: number;
  /** Least gap between slots, as a fraction of 1000/rate: below 1 lets the gate catch up. @defaultValue 0.85 */
  gapFactor?: number;
  /**
   * A slot woken later than this is given back and a new one taken, rather than sent and reported:
   * the report of a send must land before the slot a second later is reserved against the old
   * entry, and a process stalled this long no longer promises it. @defaultValue 200 ms
   */
  giveBackAfterMs?: number;
  /** A slot nobody asked for in time may still be granted this long after it passed. @defaultValue 2 ms */
  lateGraceMs?: number;
  /** After a 60007, the rate climbs back a tenth of the limit per step. @defaultValue 5 s */
  climbStepMs?: number;
  /** Longest wait for a permit before the caller gives up. @defaultValue 20 s */
  maxWaitMs?: number;
}

/** Why a permit was not granted. */
export class PermitTimeout extends Error {
  override name = 'PermitTimeout';
}

/** A granted slot, for the caller that sends in it. */
export interface Permit {
  /** How long the caller waited for it, ms. */
  waitedMs: number;
  /**
   * The request left at `atMs` (our clock; the moment its last byte went to the socket). The slot's
   * log entry moves to it, so the windows that follow are measured from the real send. Fire and
   * forget.
   */
  sent(atMs: number): void;
  /**
   * The call's answer (or its failure) came at `atMs`, for a call of `targets`; only the first
   * report counts (the answer's head, then the end of the call as a fallback). An answer later
   * than this process's recent best for such calls by more than the jitter margin means the call
   * may have arrived that late: its log entry moves on by the excess. Fire and forget.
   */
  answered(atMs: number, targets: number): void;
}

/** A reserved slot: its time on Redis's clock (the log entry) and on ours. */
interface Slot {
  entry: string;
  local: number;
}

/**
 * TIM's limit, held across every worker process: a Redis gate (gate-reserve.lua) hands out slots
 * from a sliding-window log on Redis's clock; each process queues its callers in a local line,
 * one at a time, so it holds at most one slot at a time and takes it just in time (a few at once
 * above 400 a second: slotsHeldAtOnce).
 * The caller sends at once when `acquire` resolves, and reports when its request left
 * (`permit.sent`): its log entry moves to the send, however late it was (timer lateness, a busy
 * CPU, a stall between the wake and the socket), so every window is measured from real sends and
 * the limit holds as TIM sees arrivals, not only as we schedule them. Only a wake so late
 * (200 ms) that the report might not land before the window a second on is reserved gives its
 * slot back instead; the log forgets it and the gate catches up.
 * docs/design.md says why Bottleneck's own Redis mode is not used.
 */
export class TimRateGate {
  private readonly local = new Map<string, TakingLine>();
  private readonly clock = new RedisClockOffset();
  private readonly jitterMarginMs: number;
  private readonly gapFactor: number;
  private readonly giveBackAfterMs: number;
  private readonly lateGraceMs: number;
  private readonly climbStepMs: number;
  private readonly maxWaitMs: number;
  private readonly horizonMs: number;
  private readonly answerFloor = new AnswerFloor();
  /** Slots given back because the wake stalled past giveBackAfterMs; for metrics. */
  slotsGivenUp = 0;
  /** Log entries moved on because their call was answered late (lateAnswer); for metrics. */
  lateAnswers = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly options: TimRateGateOptions,
  ) {
    this.jitterMarginMs = options.jitterMarginMs ?? 25;
    this.gapFactor = options.gapFactor ?? 0.85;
    this.lateGraceMs = options.lateGraceMs ?? 2;
    this.giveBackAfterMs = options.giveBackAfterMs ?? 200;
    this.climbStepMs = options.climbStepMs ?? CLIMB_STEP_MS;
    this.maxWaitMs = options.maxWaitMs ?? 20 * SECOND;
    // Room for several processes to hold one slot each, but no further ahead than needed.
    this.horizonMs = Math.max(50, (4 * 1000) / options.ratePerSec);
  }

  /**
   * Resolves at the moment the caller may send, with the permit; rejects with PermitTimeout after
   * maxWaitMs. A stalled wake is judged here, after the local queue handed the slot back, so that
   * no delay between the check and the caller goes unseen. The caller reports when its request
   * really left (`permit.sent`): whatever happens between this check and the socket is covered.
   */
  async acquire(sdkAppId: number, signal?: AbortSignal): Promise<Permit> {
    const started = preciseNow();
    for (;;) {
      const slot = await this.queueFor(sdkAppId).schedule(() => this.takeSlot(sdkAppId, started, signal));
      const now = preciseNow();
      if (signal?.aborted) {
        await this.giveBack(sdkAppId, slot);
        throw new PermitTimeout('aborted');
      }
      if (now - slot.local <= this.giveBackAfterMs) return this.permitFor(sdkAppId, slot, now - started);
      this.slotsGivenUp += 1;
      await this.giveBack(sdkAppId, slot);
    }
  }

  /** TIM answered 60007: halve the rate for all workers. Returns the new rate. */
  async penalize(sdkAppId: number): Promise<number> {
    const args = [this.options.ratePerSec, this.climbStepMs, this.ttlMs()];
    return Number(await penalize.run(this.redis, [this.keys.timGate(sdkAppId)], args));
  }

  private queueFor(sdkAppId: number): TakingLine {
    const id = String(sdkAppId);
    let queue = this.local.get(id);
    if (!queue) {
      queue = new TakingLine(slotsHeldAtOnce(this.options.ratePerSec));
      this.local.set(id, queue);
    }
    return queue;
  }

  /** Reserves the next slot and sleeps until it. */
  private async takeSlot(sdkAppId: number, started: number, signal?: AbortSignal): Promise<Slot> {
    const keys = [this.keys.timGate(sdkAppId), this.keys.timGateLog(sdkAppId)];
    for (;;) {
      const args = [this.options.ratePerSec, this.jitterMarginMs, this.gapFactor, this.horizonMs, this.climbStepMs, this.ttlMs(), this.lateGraceMs];
      if (signal?.aborted) throw new PermitTimeout('aborted');
      if (preciseNow() - started > this.maxWaitMs) throw new PermitTimeout(`no TIM permit within ${this.maxWaitMs} ms`);
      const sentAt = preciseNow();
      const [granted, value, redisNow] = (await reserve.run(this.redis, keys, args)) as [number, string, string];
      this.clock.sample(sentAt, preciseNow(), Number(redisNow));
      if (!granted) {
        await sleep(Number(value) - this.horizonMs / 2, signal);
        continue;
      }
      // Wake no earlier than the slot could be on Redis's clock: a fresh process's first round
      // trips can be slow, and half of one is how far its idea of Redis's clock may be off.
      const slot = { entry: value, local: this.clock.toLocal(Number(value)) + this.clockError() };
      await sleepUntil(slot.local, signal);
      return slot;
    }
  }

  private permitFor(sdkAppId: number, slot: Slot, waitedMs: number): Permit {
    let sentAt: number | undefined;
    let answered = false;
    return {
      waitedMs,
      sent: (at) => {
        sentAt = at;
        this.sentAt(sdkAppId, slot, at);
      },
      answered: (at, targets) => {
        if (answered) return;
        answered = true;
        // A call whose send was never reported counts from its slot: the longer time, the cautious side.
        this.lateAnswer(sdkAppId, slot, sentAt ?? slot.local, at, targets);
      },
    };
  }

  /**
   * The answer came `at`: the call arrived before that, by at least TIM's work and the way back,
   * which the floor (the least any recent call of its size took in all) stands in for. Where the
   * latest arrival that leaves, `at` less the floor, is further than the jitter margin past the
   * send, the margin did not cover this call: its entry moves to that bound less the margin, so
   * the window a second on counts from when the call may really have arrived. Measured
   * (docs/benchmarks.md, twelfth sitting): on a saturated machine a call reached the simulator
   * 42.6 ms after it left while the call 100 on arrived at once, 101 in a second; its answer came
   * 106 ms after the send, against a floor of 1 ms. A call answered more than about a second on is
   * too late for the window it shares; the margin is all it has.
   */
  private lateAnswer(sdkAppId: number, slot: Slot, sentAt: number, at: number, targets: number): void {
    const bound = at - this.answerFloor.floorFor(targets) - this.jitterMarginMs;
    this.answerFloor.record(targets, at - sentAt);
    // A send is never before its slot (the wake waits for it), so past the send is past the slot.
    if (bound <= sentAt) return;
    this.lateAnswers += 1;
    this.moveEntry(sdkAppId, slot, bound);
  }

  /**
   * The slot will not be used: the log forgets it, so the rate it held is not lost. Best effort:
   * if Redis cannot be told, the slot stays logged and only costs a little rate.
   */
  private async giveBack(sdkAppId: number, slot: Slot): Promise<void> {
    await sendCommand(this.redis, 'zrem', [this.keys.timGateLog(sdkAppId), slot.entry]).catch(() => undefined);
  }

  /**
   * The slot's call left at `atMs`: its log entry moves to the send (only ever later, and only
   * while the entry is still in the log), so the windows after it count from when the call really
   * left. The entry that counts from it is reserved about a second after the slot, by when this
   * has long landed. Best effort: if Redis cannot be told, the jitter margin must cover the
   * lateness, as it had to before.
   */
  private sentAt(sdkAppId: number, slot: Slot, atMs: number): void {
    if (atMs > slot.local) this.moveEntry(sdkAppId, slot, atMs);
  }

  /** The slot's entry counts from `atMs` (our clock) on, if that is later and it is still logged. */
  private moveEntry(sdkAppId: number, slot: Slot, atMs: number): void {
    // No earlier than the moment could have been on Redis's clock: the windows after it count
    // from here, so an entry logged too early would let the next calls come too soon.
    const score = (this.clock.toRedis(atMs) + this.clockError()).toFixed(3);
    void sendCommand(this.redis, 'zadd', [this.keys.timGateLog(sdkAppId), 'XX', 'GT', score, slot.entry]).catch(() => undefined);
  }

  /** How far off this process's idea of Redis's clock may be now (capped: see CLOCK_ERROR_CAP_MS). */
  private clockError(): number {
    return this.clock.uncertaintyMs(preciseNow(), CLOCK_ERROR_CAP_MS);
  }

  private ttlMs(): number {
    return 10 * 60 * SECOND;
  }
}

/**
 * How many slots one process may hold at once. A slot's reservation is a round trip to Redis
 * (0.2–2.5 ms on a busy 2-vCPU machine), and a process taking its slots strictly one at a time
 * takes at most one per round trip: nothing at TIM's own 100 a second, but a raised limit was
 * held to what that line could take, the worker idle while its calls waited their turn to reserve
 * (tim-overhead, its limit lifted: 0.38 of the raw loop one at a time, 0.50 with eight; docs/
 * benchmarks.md, seventeenth sitting). Every slot still obeys gate-reserve.lua's window rule
 * whoever holds it, so this changes how fast a process can take slots, never how many a window
 * gets. Up to 399 a second a process holds one, as before; then one more per 200 a second, at
 * most eight.
 */
export function slotsHeldAtOnce(ratePerSec: number): number {
  return Math.max(1, Math.min(8, Math.floor(ratePerSec / 200)));
}

/**
 * Runs tasks at most `width` at a time, first come first served, whether the ones before
 * resolved or rejected: what a Bottleneck with maxConcurrent did here, without its per-task
 * events and bookkeeping (3–4 % of a worker's CPU at full batches).
 */
export class TakingLine {
  private inside = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly width = 1) {}

  async schedule<T>(task: () => Promise<T>): Promise<T> {
    if (this.inside < this.width) this.inside += 1;
    // A task that ends hands its place to the first waiter, so nobody jumps the line.
    else await new Promise<void>((enter) => this.waiting.push(enter));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.inside -= 1;
    }
  }
}

/** Timers may fire up to a millisecond early; never wake before the slot. */
async function sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
  for (let left = atMs - preciseNow(); left > 0 && !signal?.aborted; left = atMs - preciseNow()) {
    await sleep(Math.ceil(left), signal);
  }
}
