import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GC_TRACE_ARGS, heapAfterMarkCompact, liveHeapFigures, MIN_COLLECTIONS } from '../../bench/lib/live-heap.js';

describe('heapAfterMarkCompact', () => {
  it("reads the heap a full collection left from V8's trace line, on Node 20 and 22", () => {
    const node20 =
      '[17629:0xa793ed0]      240 ms: Mark-Compact 59.4 (77.9) -> 49.7 (84.3) MB, 20.57 / 0.00 ms  (+ 3.8 ms in 17 steps since start of marking) (average mu = 1.000, current mu = 1.000) finalize incremental marking via stack guard; GC in old space requested';
    const node22 =
      '[17669:0x2fb64000]      250 ms: Mark-Compact 74.7 (93.3) -> 63.6 (97.5) MB, pooled: 0 MB, 19.01 / 0.00 ms  (average mu = 0.901, current mu = 0.901) finalize incremental marking via stack guard; GC in old space requested';
    const reducing =
      '[1:0x1]     9000 ms: Mark-Compact (reduce) 40.2 (60.0) -> 31.5 (45.0) MB, 8.1 / 0.0 ms  (average mu = 0.95) memory reducer; GC in old space requested';
    expect(heapAfterMarkCompact(node20)).toBe(49.7);
    expect(heapAfterMarkCompact(node22)).toBe(63.6);
    expect(heapAfterMarkCompact(reducing)).toBe(31.5);
  });

  it('ignores every other line: scavenges, the worker’s own logs', () => {
    expect(
      heapAfterMarkCompact('[1:0x1]      12 ms: Scavenge 4.1 (5.0) -> 3.2 (6.0) MB, 0.9 / 0.0 ms  (average mu = 1.000) allocation failure;'),
    ).toBeUndefined();
    expect(heapAfterMarkCompact('{"level":30,"msg":"tim friend_add call","info":"Mark-Compact 1 (2) -> 3 (4) MB"}')).toBeUndefined();
    expect(heapAfterMarkCompact('')).toBeUndefined();
  });

  it('reads the trace of a real node process that collects its heap', async () => {
    // The bench's flags on a process that keeps half a million small objects long enough to be
    // promoted, then drops them, six times: V8 must run full collections.
    const script = 'let keep = []; for (let i = 0; i < 3e6; i++) { keep.push({ i }); if (keep.length > 5e5) keep = []; }';
    const child = spawn(process.execPath, [...GC_TRACE_ARGS, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const heaps = out
      .split('\n')
      .map(heapAfterMarkCompact)
      .filter((mb) => mb !== undefined);
    expect(heaps.length).toBeGreaterThan(0);
    for (const mb of heaps) expect(mb).toBeGreaterThan(0);
    // --trace-gc-ignore-scavenger: the many scavenges print nothing.
    expect(out).not.toMatch(/Scavenge/);
  });
});

describe('liveHeapFigures', () => {
  /** A full collection every `everyMs` on the bench's clock, leaving `mb(i)`. */
  const trace = (n: number, everyMs: number, mb: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ t: (i + 1) * everyMs, mb: mb(i) }));

  it('judges a heap that holds still flat, with floating garbage collection to collection', () => {
    const f = liveHeapFigures(
      trace(40, 1000, (i) => 33 + ((i * 7) % 5)),
      40_000,
    );
    expect(f).toMatchObject({ judged: true, flat: true, judgedCollections: 21, judgedFromMs: 20_000, judgedToMs: 40_000 });
    expect(Math.abs(f.growthMB)).toBeLessThanOrEqual(f.toleranceMB);
  });

  it('judges a leak: the heap left by each collection grows while fed', () => {
    // 24 MB a minute: the floor of the judged stretch's last third is 5.6 MB above its first's.
    const f = liveHeapFigures(
      trace(40, 1000, (i) => 30 + i * 0.4),
      40_000,
    );
    expect(f.judged).toBe(true);
    expect(f.flat).toBe(false);
    expect(f.growthMB).toBeGreaterThan(f.toleranceMB);
  });

  it('is not tilted by one collection that left far more garbage near the end (a least-squares trend would say 4.4 MB)', () => {
    const f = liveHeapFigures(
      trace(40, 1000, (i) => (i === 38 ? 52 : 33 + (i % 2))),
      40_000,
    );
    expect(f).toMatchObject({ judged: true, flat: true });
  });

  it('judges flat a real soak whose floating garbage spread out as it ran (Node 22, 2026-12-03)', () => {
    // (Its floor rose 1.4 MB; another soak's, with one collection that left little, 2.2 MB: the
    // heap's warm-up, which a 3-minute soak showed levelling off.)
    // The judged stretch of a full soak's trace: the floor held at 32-34 MB while single
    // collections left up to 50 MB, more of them late than early (a median slope said 3.0 MB).
    const seen = [
      [20.1, 35.8],
      [21, 32.4],
      [21.7, 32.5],
      [22.6, 32.2],
      [23.4, 38.4],
      [24.5, 35.7],
      [25.5, 37.6],
      [26.5, 32.8],
      [27.4, 34.2],
      [28.3, 35.8],
      [29.2, 32.9],
      [30, 36.9],
      [31, 33.5],
      [31.6, 40.6],
      [32.8, 35],
      [33.8, 34.2],
      [34.9, 39],
      [36, 34.5],
      [37, 50.2],
      [38.4, 33.6],
      [39.3, 35.9],
    ];
    const f = liveHeapFigures(
      seen.map(([t, mb]) => ({ t: t! * 1000, mb: mb! })),
      40_234,
    );
    expect(f).toMatchObject({ judged: true, flat: true, growthMB: 1.4 });
    const warming = [
      [20.6, 34.9],
      [21.4, 33.7],
      [22.2, 34.3],
      [23, 30.8],
      [23.8, 35.3],
      [24.5, 39.9],
      [25.4, 33.8],
      [26.2, 37.1],
      [27, 34.4],
      [27.7, 39.6],
      [28.6, 34],
      [29.4, 35],
      [30.2, 32.5],
      [30.9, 35.2],
      [31.8, 43.2],
      [32.4, 40.5],
      [33.3, 35.9],
      [34.3, 36],
      [35.3, 36.3],
      [36.2, 36.5],
      [37, 33.2],
      [37.9, 48],
      [38.9, 36],
      [39.7, 33],
    ];
    expect(
      liveHeapFigures(
        warming.map(([t, mb]) => ({ t: t! * 1000, mb: mb! })),
        40_028,
      ),
    ).toMatchObject({ judged: true, flat: true, growthMB: 2.2 });
  });

  it('judges only while fed: the warm-up before and the drain after do not count', () => {
    const run = trace(60, 1000, (i) => (i < 10 ? 10 + i * 2 : i < 40 ? 34 : 34 + (i - 39) * 3));
    expect(liveHeapFigures(run, 40_000)).toMatchObject({ judged: true, flat: true });
    expect(liveHeapFigures(run, 60_000).flat).toBe(false);
  });

  it('does not judge a stretch with too few collections, and a run not judged is not flat', () => {
    // A collection every 2 s over 14 s of feeding: 4 of them in the judged second half (7–14 s).
    const f = liveHeapFigures(
      trace(8, 2000, () => 33),
      14_000,
    );
    expect(f.judgedCollections).toBeLessThan(MIN_COLLECTIONS);
    expect(f).toMatchObject({ judged: false, flat: false });
    expect(f.notJudgedBecause).toMatch(/full collections/);
    expect(liveHeapFigures([], 40_000)).toMatchObject({ judged: false, flat: false, collections: 0 });
  });
});
