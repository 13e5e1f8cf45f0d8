import { describe, expect, it } from 'vitest';
import { settleTargets } from '../../src/worker/settle-targets.js';
import { retryDelayMs, MAX_RETRY_DELAY_MS } from '../../src/worker/retry-policy.js';
import type { CallVerdict } from '../../src/domain/verdict.js';

const verdict = (targets: CallVerdict['targets']): CallVerdict => ({ targets, callCode: 0, callInfo: '', providerRequestId: 'rq-1' });

describe('settling one call', () => {
  it('makes finals final, counts transient attempts, and leaves strikes and rate limits uncounted', () => {
    const s = settleTargets(
      verdict([
        { target: 'a', retryClass: 'final', outcome: 'added', code: 0, info: '', answered: true },
        { target: 'b', retryClass: 'transient', code: 30505, info: 'x', answered: true },
        { target: 'c', retryClass: 'strike', code: 30540, info: 'x', answered: false },
        { target: 'd', retryClass: 'rate_limited', code: 60007, info: 'x', answered: false },
      ]),
      new Map([['b', 1]]),
      5,
      'now',
    );
    expect(s.finals).toEqual([{ target: 'a', outcome: 'added', code: 0, info: '', attempts: 1, finishedAt: 'now', providerRequestId: 'rq-1' }]);
    expect(s.progress.map((p) => [p.target, p.attempts])).toEqual([
      ['b', 2],
      ['c', 0],
      ['d', 0],
    ]);
    expect(s.retryAttempt).toBe(2);
  });

  it('ends a transient target failed with its last code at MAX_ATTEMPTS', () => {
    const s = settleTargets(verdict([{ target: 'b', retryClass: 'transient', code: 'timeout', info: 't', answered: true }]), new Map([['b', 4]]), 5, 'now');
    expect(s.finals).toMatchObject([{ target: 'b', outcome: 'failed', code: 'timeout', attempts: 5 }]);
    expect(s.retryAttempt).toBe(0);
  });
});

describe('retry delays', () => {
  it('grows exponentially with jitter around the middle, up to a ceiling', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, () => 0.999)).toBe(1499);
    expect(retryDelayMs(3, 1000, () => 0.5)).toBe(4000);
    expect(retryDelayMs(30, 1000, () => 0.5)).toBe(MAX_RETRY_DELAY_MS);
  });
});
