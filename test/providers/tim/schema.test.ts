import { describe, expect, it } from 'vitest';
import { accountLimitProblem, dedupeTargets, parseTimJob, targetLimitProblem, type TimTarget } from '../../../src/providers/tim/schema.js';

const good = {
  requestId: 'req-1',
  sdkAppId: 1400000000,
  fromAccount: 'alice',
  addType: 'Add_Type_Both',
  forceAdd: false,
  targets: [{ toAccount: 'bob', addSource: 'AddSource_Type_Web', remark: 'r', groupName: 'g', addWording: 'hi' }],
};
const zh = (n: number) => '中'.repeat(n); // 3 UTF-8 bytes each
const target = (extra: Partial<TimTarget> = {}): TimTarget => ({ toAccount: 'bob', addSource: 'AddSource_Type_Web', ...extra });

describe('parseTimJob', () => {
  it('accepts the contract example, and the minimal form', () => {
    expect(parseTimJob(good)).toEqual({ ok: true, job: good });
    const minimal = { fromAccount: 'alice', targets: [{ toAccount: 'bob', addSource: 'AddSource_Type_Web' }] };
    expect(parseTimJob(minimal)).toEqual({ ok: true, job: minimal });
  });

  it('ignores unknown keys', () => {
    const parsed = parseTimJob({ ...good, version: 2, targets: [{ ...good.targets[0], extra: true }] });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.job).toEqual(good);
  });

  it.each([
    ['(root)', 'not an object'],
    ['(root)', null],
    ['fromAccount', { ...good, fromAccount: '' }],
    ['fromAccount', { ...good, fromAccount: 7 }],
    ['requestId', { ...good, requestId: '' }],
    ['requestId', { ...good, requestId: 'x'.repeat(201) }],
    ['sdkAppId', { ...good, sdkAppId: 0 }],
    ['sdkAppId', { ...good, sdkAppId: 1.5 }],
    ['addType', { ...good, addType: 'Add_Type_Triple' }],
    ['forceAdd', { ...good, forceAdd: 'yes' }],
    ['targets', { ...good, targets: [] }],
    ['targets', { ...good, targets: 'bob' }],
    ['targets.1', { ...good, targets: [good.targets[0], 'carol'] }],
    ['targets.3.toAccount', { ...good, targets: [0, 1, 2].map((i) => target({ toAccount: `t${i}` })).concat([target({ toAccount: '' })]) }],
    ['targets.0.addSource', { ...good, targets: [{ toAccount: 'bob' }] }],
    ['targets.0.remark', { ...good, targets: [target({ remark: 5 as unknown as string })] }],
    ['targets.0.groupName', { ...good, targets: [target({ groupName: null as unknown as string })] }],
    ['targets.0.addWording', { ...good, targets: [target({ addWording: [] as unknown as string })] }],
  ])('names %s', (field, data) => {
    const parsed = parseTimJob(data);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.field).toBe(field);
      expect(parsed.message).not.toBe('');
    }
  });

  it('salvages requestId, account and every usable toAccount, deduplicated in order', () => {
    const parsed = parseTimJob({
      requestId: 'req-9',
      fromAccount: 'alice',
      addType: 'nope',
      targets: [{ toAccount: 'bob' }, 'junk', { toAccount: 'carol', addSource: 3 }, { toAccount: 'bob' }, { toAccount: '' }, { toAccount: 9 }, null],
    });
    expect(parsed).toMatchObject({ ok: false, requestId: 'req-9', account: 'alice', knownTargets: ['bob', 'carol'] });
  });

  it('salvages nothing from nothing', () => {
    expect(parseTimJob(undefined)).toMatchObject({ ok: false, field: '(root)', knownTargets: [] });
    const parsed = parseTimJob({ fromAccount: 3, requestId: 4 });
    expect(parsed).toMatchObject({ ok: false, knownTargets: [] });
    if (!parsed.ok) expect(parsed.account ?? parsed.requestId).toBeUndefined();
  });
});

describe('targetLimitProblem: TIM byte limits, in UTF-8 bytes', () => {
  it('accepts a target at every limit', () => {
    expect(
      targetLimitProblem(
        target({
          toAccount: 'x'.repeat(32),
          remark: zh(32),
          groupName: zh(10),
          addWording: 'y'.repeat(256),
          addSource: 'AddSource_Type_Abcdefgh',
        }),
      ),
    ).toBeUndefined();
    expect(targetLimitProblem(target())).toBeUndefined();
  });

  it.each([
    ['toAccount', target({ toAccount: zh(11) })], // 33 bytes
    ['remark', target({ remark: zh(33) })], // 99 bytes > 96
    ['groupName', target({ groupName: zh(11) })], // 33 bytes > 30
    ['groupName', target({ groupName: '' })],
    ['addWording', target({ addWording: zh(86) })], // 258 bytes > 256
    ['addSource', target({ addSource: 'AddSource_Type_Abcdefghi' })], // keyword of 9
    ['addSource', target({ addSource: 'AddSource_Type_' })],
    ['addSource', target({ addSource: 'AddSource_Type_Web1' })],
    ['addSource', target({ addSource: 'AddSource_Type_中' })],
    ['addSource', target({ addSource: 'Web' })],
  ])('%s', (field, t) => {
    const problem = targetLimitProblem(t);
    expect(problem?.field).toBe(field);
    expect(problem?.message).toContain(field);
  });

  it('counts bytes, not characters', () => {
    expect(targetLimitProblem(target({ remark: zh(32) }))).toBeUndefined(); // 96 bytes, 32 chars
    expect(targetLimitProblem(target({ remark: 'r'.repeat(97) }))?.field).toBe('remark');
  });

  it('counts a mostly ASCII text by its bytes, and judges each addSource whatever was judged before it', () => {
    expect(targetLimitProblem(target({ toAccount: `${'x'.repeat(30)}é` }))).toBeUndefined(); // 32 bytes
    expect(targetLimitProblem(target({ toAccount: `${'x'.repeat(31)}é` }))?.message).toContain('33 bytes');
    expect(targetLimitProblem(target({ addSource: 'AddSource_Type_Web' }))).toBeUndefined();
    expect(targetLimitProblem(target({ addSource: 'AddSource_Type_Web1' }))?.field).toBe('addSource');
    expect(targetLimitProblem(target({ addSource: 'AddSource_Type_Web' }))).toBeUndefined();
  });

  it('checks the from account too', () => {
    expect(accountLimitProblem('alice')).toBeUndefined();
    expect(accountLimitProblem(zh(11))).toMatchObject({ field: 'fromAccount' });
  });
});

describe('dedupeTargets', () => {
  it('keeps the first occurrence of each toAccount, in order', () => {
    const list = [target({ toAccount: 'a', remark: '1' }), target({ toAccount: 'b' }), target({ toAccount: 'a', remark: '2' })];
    expect(dedupeTargets(list)).toEqual([list[0], list[1]]);
  });
});
