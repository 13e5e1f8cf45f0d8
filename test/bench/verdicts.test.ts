import { describe, expect, it } from 'vitest';
import { atLeast, atMost, below, exactly, exitCode, holds, reported, verdict } from '../../bench/lib/verdicts.js';
import { MIN_SAMPLES, rssFigures } from '../../bench/lib/rss.js';
import { cpuCheck, cpuRatioCheck, guaranteeChecks, rateCheck, targetsCheck, type GuaranteeFigures } from '../../bench/lib/tim-checks.js';
import { anchorChecks, type AnchorFigures } from '../../bench/lib/anchor-checks.js';

const r = { subject: 's', figure: 'f' };

describe('checks', () => {
  it('hold a figure against its goal, both ways', () => {
    expect(atLeast(r, 0.97, 0.97).met).toBe(true);
    expect(atLeast(r, 0.969, 0.97).met).toBe(false);
    expect(atMost(r, 100, 100).met).toBe(true);
    expect(atMost(r, 101, 100).met).toBe(false);
    expect(below(r, 249.9, 250).met).toBe(true);
    expect(below(r, 250, 250).met).toBe(false);
    expect(exactly(r, 0, 0).met).toBe(true);
    expect(exactly(r, 1, 0).met).toBe(false);
  });

  it('never count a missing figure as met', () => {
    for (const missing of [null, undefined, NaN, Infinity]) {
      expect(atLeast(r, missing, 0).met).toBe(false);
      expect(atMost(r, missing, 1e9).met).toBe(false);
      expect(exactly(r, missing, 0).met).toBe(false);
      expect(atLeast(r, missing, 0).measured).toBe('not measured');
    }
    expect(holds({ ...r, measured: 'x' }, null, 'g').met).toBe(false);
    expect(holds({ ...r, measured: 'x' }, undefined, 'g').met).toBe(false);
  });

  it('make a scenario met only when every judged check is met', () => {
    const ok = atLeast(r, 1, 0);
    expect(verdict([ok, reported(r, 5)])).toEqual({ goalMet: true, failed: [] });
    const bad = atMost({ subject: 'x', figure: 'y' }, 101, 100);
    const v = verdict([ok, bad]);
    expect(v.goalMet).toBe(false);
    expect(v.failed).toEqual(['x: y 101, goal ≤ 100']);
    // Nothing judged is nothing proven.
    expect(verdict([reported(r, 1)]).goalMet).toBe(false);
    expect(verdict([]).goalMet).toBe(false);
  });
});

describe('exitCode', () => {
  it('is 0 only when every scenario ran and met its goal', () => {
    expect(exitCode([{ goalMet: true }, { goalMet: true }], false)).toBe(0);
    expect(exitCode([{ goalMet: true }, { goalMet: false }], false)).toBe(3);
    expect(exitCode([{ goalMet: true }, { goalMet: false }], true)).toBe(0);
    expect(exitCode([{ goalMet: false, error: 'boom' }], true)).toBe(1);
    expect(exitCode([], false)).toBe(1);
  });
});

describe('rssFigures', () => {
  const series = (n: number, everyMs: number, mb: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ t: i * everyMs, mb: mb(i) }));

  it('does not judge a short run, and a run not judged is not flat', () => {
    const f = rssFigures(series(MIN_SAMPLES - 1, 250, () => 100));
    expect(f.judged).toBe(false);
    expect(f.flat).toBe(false);
    expect(f.notJudgedBecause).toMatch(/samples/);
    // Enough samples, too little time.
    const dense = rssFigures(series(60, 100, () => 100));
    expect(dense.judged).toBe(false);
    expect(dense.notJudgedBecause).toMatch(/ s of samples/);
  });

  it('judges a long run flat or growing', () => {
    const flat = rssFigures(series(80, 250, (i) => (i < 10 ? 100 + i * 10 : 200 + (i % 3))));
    expect(flat).toMatchObject({ judged: true, flat: true, peakMB: 202 });
    const growing = rssFigures(series(80, 250, (i) => 150 + i));
    expect(growing.judged).toBe(true);
    expect(growing.flat).toBe(false);
    expect(growing.secondHalfGrowthMB).toBeGreaterThan(growing.flatToleranceMB);
  });

  it('judges the trend over the second half of the feed; the drain after it counts for the peak only', () => {
    // Fed for 20 s (flat at 200 after a warm-up), then a drain whose last 5 s climb to 240.
    const run = series(100, 250, (i) => (i < 10 ? 100 + i * 10 : i < 80 ? 200 + (i % 3) : 200 + (i - 79) * 2));
    const f = rssFigures(run, 20_000);
    expect(f).toMatchObject({ judged: true, flat: true, peakMB: 240, judgedFromMs: 10_000, judgedToMs: 20_000 });
    // The same run judged to its end is not flat: the climb is inside the stretch.
    expect(rssFigures(run).flat).toBe(false);
    // A process that grows while fed is not flat, whatever the drain does.
    const leaking = rssFigures(
      series(100, 250, (i) => (i < 80 ? 150 + i : 230)),
      20_000,
    );
    expect(leaking).toMatchObject({ judged: true, flat: false });
    // Fed too briefly to judge: not flat, however long the drain.
    expect(
      rssFigures(
        series(100, 250, () => 100),
        8_000,
      ),
    ).toMatchObject({ judged: false, flat: false });
  });
});

const run = (over: Partial<GuaranteeFigures> = {}): GuaranteeFigures => ({
  workers: 2,
  targetsPerCall: 1000,
  jobs: 100,
  finished: true,
  calls: 100,
  refused: {},
  maxInSlidingSecond: 100,
  results: 100_000,
  expectedResults: 100_000,
  failedJobs: 0,
  overlapViolations: 0,
  ...over,
});

describe('TIM run checks', () => {
  it('hold the limit and every guarantee the docs make', () => {
    expect(verdict(guaranteeChecks(run(), 100)).goalMet).toBe(true);
    for (const broken of [
      { maxInSlidingSecond: 101 },
      { refused: { 60007: 1 } },
      { overlapViolations: 1 },
      { failedJobs: 1 },
      { results: 99_999 },
      { finished: false },
    ]) {
      expect(verdict(guaranteeChecks(run(broken), 100)).goalMet, JSON.stringify(broken)).toBe(false);
    }
  });

  it('judge rates, targets and CPU only where a goal is given', () => {
    const figures = {
      workers: 2,
      targetsPerCall: 1000,
      ratio: 0.95,
      callsPerSec: 95,
      targetsRatio: 0.89,
      targetsPerSec: 89_000,
      cpuMsPerCall: { workers: 5, redis: 2 },
    };
    expect(rateCheck(figures, 0.97).met).toBe(false);
    expect(rateCheck(figures, null)).toMatchObject({ goal: null, met: null });
    expect(targetsCheck(figures, 0.9).met).toBe(false);
    expect(cpuCheck(figures, 6.86).met).toBe(false);
    expect(cpuCheck({ ...figures, cpuMsPerCall: { workers: 4.8, redis: 2 } }, 6.86)).toMatchObject({ value: 6.8, met: true });
    expect(cpuCheck({ ...figures, cpuMsPerCall: { workers: 4.8 } }, 6.86).met).toBe(false);
  });

  it("judge CPU against the reference commit's, run on the same backlog: a ratio, never met without it", () => {
    const ours = { workers: 2, targetsPerCall: 1000, cpuMsPerCall: { workers: 8, redis: 3 } };
    const ran = { commit: 'd82ac7f', workers: 2, cpuMsPerCall: { workers: 15, redis: 7 }, passesPerJob: 1.7, finished: true, calls: 1700 };
    expect(cpuRatioCheck(ours, ran, 0.5)).toMatchObject({ value: 0.5, met: true, goal: '≤ 0.5' });
    expect(cpuRatioCheck({ ...ours, cpuMsPerCall: { workers: 8.1, redis: 3 } }, ran, 0.5)).toMatchObject({ value: 0.505, met: false });
    expect(cpuRatioCheck(ours, { ...ran, finished: false }, 0.5)).toMatchObject({ value: null, met: false });
    expect(cpuRatioCheck(ours, { ...ran, cpuMsPerCall: { workers: 15 } }, 0.5).met).toBe(false);
    const absent = cpuRatioCheck(ours, { commit: 'd82ac7f', why: 'a shallow clone' }, 0.5);
    expect(absent).toMatchObject({ value: null, measured: 'not measured', met: false });
    expect(absent.beside).toContain('a shallow clone');
  });

  it('judge the anchors run on whether each drained the backlog, and ours on its guarantees', () => {
    const anchor = (over: Partial<AnchorFigures> = {}): AnchorFigures => ({
      calls: 100,
      jobs: 100,
      refused: { 60007: 20 },
      callsPerSec: 100,
      ratio: 1,
      ratioAfterFirstSecond: 1,
      maxInSlidingSecond: 120,
      slidingSecondsOver: 50,
      minGapMs: 0,
      p01GapMs: 0,
      failedJobs: 0,
      finished: true,
      ...over,
    });
    const ours = { ...run(), ratio: 0.96, callsPerSec: 96 };
    // Anchors going over the limit is what they show, not a failure of the bench.
    expect(verdict(anchorChecks(ours, { a: anchor(), b: anchor() }, 100)).goalMet).toBe(true);
    expect(verdict(anchorChecks(ours, { a: anchor({ finished: false }) }, 100)).goalMet).toBe(false);
    expect(verdict(anchorChecks({ ...ours, maxInSlidingSecond: 101 }, { a: anchor() }, 100)).goalMet).toBe(false);
    expect(verdict(anchorChecks({ ...ours, overlapViolations: 2 }, { a: anchor() }, 100)).goalMet).toBe(false);
  });
});
