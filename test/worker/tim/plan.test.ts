import { describe, expect, it } from 'vitest';
import { pickBatch, planTimJob } from '../../../src/worker/tim/plan.js';
import type { TimTarget } from '../../../src/providers/tim/schema.js';

const t = (toAccount: string, extra: Partial<TimTarget> = {}): TimTarget => ({ toAccount, addSource: 'AddSource_Type_Web', ...extra });

describe('planTimJob', () => {
  it('keeps each callable target once, the first occurrence winning, in the job order', () => {
    const first = t('a', { remark: 'first' });
    const plan = planTimJob({ fromAccount: 'alice', targets: [first, t('b'), t('a', { remark: 'second' }), t('c')] });
    expect([...plan.targets.keys()]).toEqual(['a', 'b', 'c']);
    expect(plan.targets.get('a')).toBe(first);
    expect(plan.refused).toEqual([]);
    expect(plan.count).toBe(3);
  });

  it('refuses a target over a limit once, alone, even when named again fit, and counts it', () => {
    const plan = planTimJob({
      fromAccount: 'alice',
      targets: [t('ok1'), t('bad', { addSource: 'Web' }), t('bad'), t('x'.repeat(33)), t('ok2'), t('bad', { addSource: 'Web' })],
    });
    expect([...plan.targets.keys()]).toEqual(['ok1', 'ok2']);
    expect(plan.refused.map((r) => [r.target, r.outcome, r.code, r.attempts])).toEqual([
      ['bad', 'refused', 'invalid_input', 0],
      ['x'.repeat(33), 'refused', 'invalid_input', 0],
    ]);
    expect(plan.refused[0]!.info).toMatch(/^addSource: /);
    expect(plan.refused[1]!.info).toMatch(/^toAccount: .*33 bytes/);
    expect(Date.parse(plan.refused[0]!.finishedAt)).not.toBeNaN();
    expect(plan.count).toBe(4);
  });
});

describe('pickBatch', () => {
  it('takes untried targets at once, those waiting for a retry once it is due, at most chunk of them', () => {
    const attempts = new Map([['b', 1]]);
    expect(pickBatch(['a', 'b', 'c'], attempts, false, 10)).toEqual(['a', 'c']);
    expect(pickBatch(['a', 'b', 'c'], attempts, true, 2)).toEqual(['a', 'b']);
  });
});
