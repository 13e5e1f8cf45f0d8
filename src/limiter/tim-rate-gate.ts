import Bottleneck from 'bottleneck';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { scriptBeside } from '../lib/lua-script.js';
import { sleep } from '../lib/sleep.js';
import { SECOND } from '../lib/time.js';
import { preciseNow } from '../lib/precise-now.js';

const reserve = scriptBeside(import.meta.url, 'gate-reserve.lua');
const penalize = scriptBeside(import.meta.url, 'gate-penalize.lua');

export interface TimRateGateOptions {
  /** Calls per second per SDKAppID, all workers together (TIM_RATE_PER_SEC). */
  ratePerSec: number;
  /** Slots are 1000/rate × this apart: the margin for send jitter. @defaultValue 1.03 */
  spacingFactor?: number;
  /** A slot woken later than this is given up and a new one taken. @defaultValue 4 ms */
  lateToleranceMs?: number;
  /** After a 60007, the rate climbs back a tenth of the limit per step. @defaultValue 5 s */
  climbStepMs?: number;
  /** Longest wait for a permit before the caller gives up. @defaultValue 20 s */
  maxWaitMs?: number;
}

/** Why a permit was not granted. */
export class PermitTimeout extends Error {
  override name = 'PermitTimeout';
}

/**
 * TIM's limit, held across every worker process: a Redis gate (gate-reserve.lua) hands out slots
 * spaced 1000/rate apart on Redis's clock; each process queues its callers in a local Bottleneck
 * (maxConcurrent 1), so it holds at most one slot at a time and takes it just in time. The caller
 * sends at once when `acquire` resolves. A wake that comes late (timer lateness, a busy CPU) gives
 * its slot up rather than send close behind the next process's slot: that is what keeps the limit
 * as TIM sees arrivals, not only as we send. docs/design.md says why Bottleneck's own Redis mode
 * is not used.
 */
export class TimRateGate {
  private readonly local = new Map<string, Bottleneck>();
  private readonly spacingFactor: number;
  private readonly lateToleranceMs: number;
  private readonly climbStepMs: number;
  private readonly maxWaitMs: number;
  private readonly horizonMs: number;
  /** Slots given up because the wake came late; for metrics and the bench. */
  slotsGivenUp = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly options: TimRateGateOptions,
  ) {
    this.spacingFactor = options.spacingFactor ?? 1.03;
    this.lateToleranceMs = options.lateToleranceMs ?? 4;
    this.climbStepMs = options.climbStepMs ?? 5 * SECOND;
    this.maxWaitMs = options.maxWaitMs ?? 20 * SECOND;
    // Room for several processes to hold one slot each, but no further ahead than needed.
    this.horizonMs = Math.max(50, (4 * 1000 * this.spacingFactor) / options.ratePerSec);
  }

  /**
   * Resolves at the moment the caller may send, with how long it waited (ms); rejects with
   * PermitTimeout after maxWaitMs. Lateness is judged here, after the local queue handed the slot
   * back, so that no delay between the check and the caller goes unseen.
   */
  async acquire(sdkAppId: number, signal?: AbortSignal): Promise<number> {
    const started = preciseNow();
    for (;;) {
      const slot = await this.queueFor(sdkAppId).schedule(() => this.takeSlot(sdkAppId, started, signal));
      const now = preciseNow();
      if (now - slot <= this.lateToleranceMs) return now - started;
      this.slotsGivenUp += 1;
    }
  }

  /** TIM answered 60007: halve the rate for all workers. Returns the new rate. */
  async penalize(sdkAppId: number): Promise<number> {
    const args = [this.options.ratePerSec, this.climbStepMs, this.ttlMs()];
    return Number(await penalize.run(this.redis, [this.keys.timGate(sdkAppId)], args));
  }

  private queueFor(sdkAppId: number): Bottleneck {
    const id = String(sdkAppId);
    let queue = this.local.get(id);
    if (!queue) {
      queue = new Bottleneck({ maxConcurrent: 1 });
      this.local.set(id, queue);
    }
    return queue;
  }

  /** Reserves the next slot and sleeps until it; returns the slot on the local clock. */
  private async takeSlot(sdkAppId: number, started: number, signal?: AbortSignal): Promise<number> {
    const key = this.keys.timGate(sdkAppId);
    const args = [this.options.ratePerSec, this.spacingFactor, this.horizonMs, this.climbStepMs, this.ttlMs()];
    for (;;) {
      if (signal?.aborted) throw new PermitTimeout('aborted');
      if (preciseNow() - started > this.maxWaitMs) throw new PermitTimeout(`no TIM permit within ${this.maxWaitMs} ms`);
      const sentAt = preciseNow();
      const [granted, value, redisNow] = (await reserve.run(this.redis, [key], args)) as [number, string, string];
      // Redis's clock minus ours, measured across the round trip.
      const offset = Number(redisNow) - (sentAt + preciseNow()) / 2;
      if (!granted) {
        await sleep(Number(value) - this.horizonMs / 2, signal);
        continue;
      }
      const slotLocal = Number(value) - offset;
      await sleepUntil(slotLocal, signal);
      return slotLocal;
    }
  }

  private ttlMs(): number {
    return 10 * 60 * SECOND;
  }
}

/** Timers may fire up to a millisecond early; never wake before the slot. */
async function sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
  for (let left = atMs - preciseNow(); left > 0 && !signal?.aborted; left = atMs - preciseNow()) {
    await sleep(Math.ceil(left), signal);
  }
}
