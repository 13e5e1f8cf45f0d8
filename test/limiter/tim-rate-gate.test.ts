import { describe, expect, it } from 'vitest';
import { slotsHeldAtOnce, TakingLine, TimRateGate } from '../../src/limiter/tim-rate-gate.js';
import { preciseNow } from '../../src/lib/precise-now.js';
import { maxInSlidingWindow } from '../../src/sim/shared/arrival-stats.js';
import { useRedisPrefix } from '../helpers/redis-prefix.js';
import { waitFor } from '../helpers/wait-for.js';

describe('TIM rate gate (a sliding-window log in Redis)', () => {
  const db = useRedisPrefix('gate');
  const { keys } = db;

  /** Grants `n` permits through `gates` (one per simulated process) and returns their times. */
  async function grant(gates: TimRateGate[], sdkAppId: number, n: number): Promise<number[]> {
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        await gates[i % gates.length]!.acquire(sdkAppId);
        times.push(preciseNow());
      }),
    );
    return times.sort((a, b) => a - b);
  }

  /** The log's latest slot (the member as granted). */
  const latestEntry = async (key: string) => (await db.redis.zrange(key, '-1', '-1'))[0] ?? null;

  const meanGap = (times: number[]) => (times.at(-1)! - times[0]!) / (times.length - 1);

  it('lets no more than the rate into any second, across several gates sharing Redis', async () => {
    const gates = [1, 2, 3].map(() => new TimRateGate(db.redis, keys, { ratePerSec: 20 }));
    const times = await grant(gates, 1, 45);
    // 45 permits at 20/s span two full windows: the log, not the gap, held them back.
    expect(maxInSlidingWindow(times)).toBeLessThanOrEqual(20);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2 * 1025 - 5);
  });

  it('holds the limit in every window when one process holds several slots at once (high rates)', async () => {
    expect(slotsHeldAtOnce(1000)).toBe(5);
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 1000 });
    const times = await grant([gate], 2, 2100);
    expect(maxInSlidingWindow(times)).toBeLessThanOrEqual(1000);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2 * 1025 - 5);
  });

  it('spaces permits a little under 1000/rate apart, so it can catch up on unused slots', async () => {
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 50 });
    const times = await grant([gate], 5, 10);
    // Less the late grace (2 ms), by which a slot may be granted after it passed.
    expect(meanGap(times)).toBeGreaterThanOrEqual(20 * 0.85 - 2);
    expect(maxInSlidingWindow(times)).toBeLessThanOrEqual(10);
  });

  it('halves the rate on 60007 for everyone and counts close penalties once', async () => {
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 100 });
    expect(await gate.penalize(2)).toBe(50);
    expect(await gate.penalize(2)).toBe(50); // within a second of the first: counted once
    const times = await grant([gate], 2, 6);
    // The gap at 50/s (17 ms), not at 100/s (8.5 ms); a slot may be granted up to the late grace
    // (2 ms) after it passed, which can shorten the measured mean a little.
    expect(meanGap(times)).toBeGreaterThanOrEqual((1000 / 50) * 0.85 - 2);
    expect(Number(await db.redis.hget(keys.timGate(2), 'prate'))).toBe(50);
  });

  it('climbs back after a 60007, a tenth of the limit per step', async () => {
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 100, climbStepMs: 200 });
    expect(await gate.penalize(7)).toBe(50);
    // A second later the rate has climbed back to the limit, so a new 60007 halves 100 again, not 50.
    await new Promise((r) => setTimeout(r, 1100));
    expect(await gate.penalize(7)).toBe(50);
  });

  it('treats a deleted log as the worst case: as if a full second of calls had just been sent', async () => {
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 100 });
    await grant([gate], 3, 3);
    await db.redis.del(keys.timGateLog(3));
    const before = preciseNow();
    await gate.acquire(3);
    // Rebuilt as 100 slots 8.5 ms apart ending 50 ms ahead: the next is 1025 ms after the first
    // of them, about 233 ms from now. The limit holds through the loss instead of bursting.
    expect(preciseNow() - before).toBeGreaterThanOrEqual(200);
    // The rebuilt past is one member standing for its 100 slots, beside the slot just granted.
    expect(await db.redis.zrange(keys.timGateLog(3), '0', '-1')).toEqual([expect.stringMatching(/^rebuilt:100:8\.5$/), expect.any(String)]);
  });

  it('reads the rebuilt past slot by slot: each slot after it a window past the one n back', async () => {
    const rate = 10;
    const log = keys.timGateLog(13);
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: rate });
    await gate.acquire(13);
    const [pastMember, pastEnd] = await db.redis.zrange(log, '0', '0', 'WITHSCORES');
    const [, count, gap] = /^rebuilt:(\d+):(.+)$/.exec(pastMember!)!;
    expect([Number(count), Number(gap)]).toEqual([rate, 85]);
    const past = Array.from({ length: rate }, (_, i) => Number(pastEnd) - (rate - 1 - i) * Number(gap));
    // One at a time, so the latest member is the slot just granted.
    const slots = [Number(await latestEntry(log))];
    for (let i = 1; i < 2 * rate; i++) {
      await gate.acquire(13);
      slots.push(Number(await latestEntry(log)));
    }
    // Each of the first `rate` slots is exactly a window past the rebuilt slot `rate` back...
    for (const [i, slot] of slots.slice(0, rate).entries()) expect(Math.abs(slot - (past[i]! + 1025))).toBeLessThan(0.002);
    // ...the rest a window past the granted slot `rate` back, and the log has dropped the past.
    for (let j = rate; j < slots.length; j++) expect(slots[j]! - slots[j - rate]!).toBeGreaterThanOrEqual(1025 - 0.002);
    expect((await db.redis.zrange(log, '0', '-1')).filter((m) => m.startsWith('rebuilt'))).toEqual([]);
  });

  /**
   * At 10/s: takes a first permit, asks for a second (85 ms after it) and returns that pending
   * permit once its slot is in the log, with the slot's entry.
   */
  async function secondSlotReserved(sdkAppId: number) {
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 10 });
    await gate.acquire(sdkAppId);
    const firstEntry = await latestEntry(keys.timGateLog(sdkAppId));
    const second = gate.acquire(sdkAppId);
    let entry: string | null = null;
    await waitFor(
      'the second slot to be reserved',
      async () => {
        entry = await latestEntry(keys.timGateLog(sdkAppId));
        return entry !== firstEntry;
      },
      5000,
      0,
    );
    return { gate, second, entry: entry! as string };
  }

  it('gives back a slot it wakes far too late for (past the 200 ms bound), and takes a new one', async () => {
    const { gate, second, entry: lateEntry } = await secondSlotReserved(4);
    // Block the event loop well past that slot, as a stalled process would.
    const until = Date.now() + 400;
    while (Date.now() < until);
    await second;
    expect(gate.slotsGivenUp).toBeGreaterThanOrEqual(1);
    // The log forgot the slot nobody used, so it costs no rate.
    expect(await db.redis.zrange(keys.timGateLog(4), '0', '-1')).not.toContain(lateEntry);
  });

  it('keeps a slot woken late within the bound: the send report moves its entry instead', async () => {
    const { gate, second, entry } = await secondSlotReserved(11);
    const slotAt = Number(entry);
    // Block the event loop ~60 ms past the slot (85 ms after the first): late, but not stalled.
    const until = Date.now() + 145;
    while (Date.now() < until);
    const permit = await second;
    expect(gate.slotsGivenUp).toBe(0);
    permit.sent(preciseNow());
    await db.redis.ping(); // the gate shares this connection: the report was handled
    // The entry now counts from the send: later than its slot.
    expect(Number(await db.redis.zscore(keys.timGateLog(11), entry))).toBeGreaterThan(slotAt + 20);
  });

  it('still grants a slot that passed a moment ago, so a late ask does not shift the window', async () => {
    // 10/s: the second slot is 85 ms after the first. Ask for it a little after it passed (the
    // grace is wide so that a busy machine's late timer still asks within it).
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 10, lateGraceMs: 400 });
    await gate.acquire(8);
    const first = Number(await latestEntry(keys.timGateLog(8)));
    await new Promise((r) => setTimeout(r, 88));
    await gate.acquire(8);
    const second = Number(await latestEntry(keys.timGateLog(8)));
    expect(second - first).toBeCloseTo(85, 2);
    expect(gate.slotsGivenUp).toBe(0);
  });

  it('gives back the slot of a caller that aborts while waiting for it', async () => {
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 10 });
    await gate.acquire(6);
    const firstEntry = await latestEntry(keys.timGateLog(6));
    const controller = new AbortController();
    const waiting = gate.acquire(6, controller.signal);
    let reserved: string | null = null;
    await waitFor(
      'the slot to be reserved',
      async () => {
        reserved = await latestEntry(keys.timGateLog(6));
        return reserved !== firstEntry;
      },
      5000,
      0,
    );
    controller.abort();
    await expect(waiting).rejects.toThrow('aborted');
    expect(await db.redis.zrange(keys.timGateLog(6), '0', '-1')).not.toContain(reserved);
  });

  it('measures the window from a late send: the entry moves to when the call really left', async () => {
    // 2/s: slots 425 ms apart, and the third at least 1025 ms after the first entry.
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 2 });
    const first = await gate.acquire(9);
    const firstAt = preciseNow();
    const entry = (await latestEntry(keys.timGateLog(9)))!;
    // The first call left 300 ms after its slot (a process stalled between permit and socket).
    first.sent(firstAt + 300);
    first.sent(firstAt + 100); // an earlier report never moves it back
    await db.redis.ping(); // the gate shares this connection: both reports were handled
    // Moved to the send.
    expect(Number(await db.redis.zscore(keys.timGateLog(9), entry)) - Number(entry)).toBeGreaterThan(295);
    await gate.acquire(9);
    await gate.acquire(9);
    // Without the report the third permit would come ~1025 ms after the first.
    expect(preciseNow() - firstAt).toBeGreaterThanOrEqual(300 + 1025 - 8);
  });

  it('spaces the next slot from the last slot granted, not from a send reported late', async () => {
    // 2/s: slots 425 ms apart. Spaced from the late send, the second would come 300 ms later
    // still; the bound between leaves a busy machine 175 ms to ask for it (at 10/s, 85 ms apart,
    // a CI run under load once asked 30 ms too late and got a slot of its own time).
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 2 });
    const first = await gate.acquire(12);
    const firstSlot = Number(await latestEntry(keys.timGateLog(12)));
    first.sent(preciseNow() + 300);
    await gate.acquire(12);
    const members = (await db.redis.zrange(keys.timGateLog(12), '0', '-1')).filter((m) => !m.startsWith('rebuilt'));
    // The gap smooths the stream; only the window rule has to count from the late send.
    const gap = Math.max(...members.map(Number)) - firstSlot;
    expect(gap).toBeGreaterThan(424);
    expect(gap).toBeLessThan(600);
  });

  it('counts a call answered late from the latest it may have arrived: the answer less the floor and the margin', async () => {
    // 2/s: the third slot comes at least 1025 ms after the first entry.
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 2 });
    const first = await gate.acquire(13);
    const sentAt = preciseNow();
    const entry = (await latestEntry(keys.timGateLog(13)))!;
    first.sent(sentAt);
    // The first 1000-target call of this process: no floor yet, so its whole time counts.
    first.answered(sentAt + 300, 1000);
    await db.redis.ping(); // the gate shares this connection: both reports were handled
    expect(gate.lateAnswers).toBe(1);
    const moved = Number(await db.redis.zscore(keys.timGateLog(13), entry));
    expect(moved - sentAt).toBeGreaterThan(300 - 25 - 5);
    await gate.acquire(13);
    await gate.acquire(13);
    // Without the answer's report the third permit would come ~1025 ms after the send.
    expect(preciseNow() - sentAt).toBeGreaterThanOrEqual(275 + 1025 - 8);
  });

  it('leaves an entry where it is when the answer came within the margin of the best for its size', async () => {
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 20 });
    const answerAfter = async (ms: number, targets: number) => {
      const permit = await gate.acquire(14);
      const entry = (await latestEntry(keys.timGateLog(14)))!;
      const sentAt = preciseNow();
      permit.sent(sentAt);
      permit.answered(sentAt + ms, targets);
      await db.redis.ping();
      return Number(await db.redis.zscore(keys.timGateLog(14), entry)) - sentAt;
    };
    // The first of its size sets the floor (and, answered past the margin, moves on by 40 − 25).
    expect(await answerAfter(40, 1000)).toBeGreaterThan(10);
    expect(gate.lateAnswers).toBe(1);
    // 60 ms against a floor of 40: within the 25 ms margin, the entry stays at the send.
    expect(await answerAfter(60, 1000)).toBeLessThan(5);
    expect(gate.lateAnswers).toBe(1);
    // 100 ms against that floor: 35 ms past the margin.
    expect(await answerAfter(100, 1000)).toBeGreaterThan(30);
    expect(gate.lateAnswers).toBe(2);
    // A one-target call is judged against one-target calls: its first, answered within the margin, stays.
    expect(await answerAfter(20, 1)).toBeLessThan(5);
    expect(gate.lateAnswers).toBe(2);
  });

  it('lets a report for a slot no longer in the log add nothing', async () => {
    const gate = new TimRateGate(db.redis, keys, { ratePerSec: 10 });
    const permit = await gate.acquire(10);
    await db.redis.del(keys.timGateLog(10));
    permit.sent(preciseNow() + 500);
    // The gate shares this connection: once a later command is answered, the report was handled.
    await db.redis.ping();
    expect(await db.redis.exists(keys.timGateLog(10))).toBe(0);
  });
});

describe('how many slots a process holds at once', () => {
  it('one up to 399 a second (TIM allows 100), then one more per 200 a second, at most eight', () => {
    expect([100, 399, 400, 600, 1000, 1600, 100_000].map(slotsHeldAtOnce)).toEqual([1, 1, 2, 3, 5, 8, 8]);
  });

  it('runs at most `width` tasks at once, first come first served, a failed one freeing its place', async () => {
    const line = new TakingLine(2);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const task = (i: number) => async () => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      if (i === 1) throw new Error('failed');
      return i;
    };
    const done = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => line.schedule(task(i))));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(done.map((d) => d.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  });
});
