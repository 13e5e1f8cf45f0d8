import { describe, expect, it } from 'vitest';
import { prepareTim, TIM_TARGETS_PER_JOB } from '../../src/client/prepare-tim.js';
import { prepareGewe } from '../../src/client/prepare-gewe.js';
import { InvalidEntryError } from '../../src/client/errors.js';
import { InvalidInputError } from '../../src/domain/errors.js';
import type { TimJob } from '../../src/providers/tim/schema.js';

const target = (toAccount: string, extra: Record<string, string> = {}) => ({ toAccount, addSource: 'AddSource_Type_Web', ...extra });
const item = (v3: string, extra: Record<string, unknown> = {}) => ({ appId: 'wx_a', scene: 3, option: 2, v3, v4: 'v4_x', content: 'hi', ...extra });

function thrown(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidInputError) return err;
    throw err;
  }
  throw new Error('expected an InvalidInputError');
}

describe('prepareTim', () => {
  it('removes duplicates across the whole request (first wins) and cuts jobs of at most 1000', () => {
    const names = Array.from({ length: 2200 }, (_, i) => `u${i}`);
    const dups = names.slice(0, 100).map((n) => target(n, { remark: 'second' }));
    const prepared = prepareTim({ requestId: 'r1', fromAccount: 'alice', targets: [...names.map((n) => target(n)), ...dups] });
    expect(prepared.targets).toBe(2200);
    expect(prepared.jobs.map((j) => j.targets.length)).toEqual([1000, 1000, 200]);
    const all = prepared.jobs.flatMap((j) => j.targets);
    expect(new Set(all.map((t) => t.toAccount)).size).toBe(2200);
    expect(all.every((t) => t.remark === undefined)).toBe(true);
    expect(prepared.jobs.every((j) => j.requestId === 'r1' && j.fromAccount === 'alice')).toBe(true);
    expect(TIM_TARGETS_PER_JOB).toBe(1000);
  });

  it('keeps the account fields in every job and strips unknown keys', () => {
    const request = { fromAccount: 'alice', addType: 'Add_Type_Single', forceAdd: true, sdkAppId: 7, extra: 1, targets: [target('b')] };
    const [job] = prepareTim(request as unknown as TimJob).jobs;
    expect(job).toEqual({
      requestId: expect.any(String),
      fromAccount: 'alice',
      addType: 'Add_Type_Single',
      forceAdd: true,
      sdkAppId: 7,
      targets: [target('b')],
    });
  });

  it('gives a request without requestId a random UUID', () => {
    const a = prepareTim({ fromAccount: 'alice', targets: [target('b')] });
    const b = prepareTim({ fromAccount: 'alice', targets: [target('b')] });
    expect(a.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.requestId).not.toBe(b.requestId);
  });

  it('names the field and index of a bad target (schema and byte limits)', () => {
    const targets = Array.from({ length: 20 }, (_, i) => target(`u${i}`));
    const badShape = thrown(() => prepareTim({ fromAccount: 'a', targets: targets.map((t, i) => (i === 3 ? { ...t, addSource: 5 } : t)) as never }));
    expect(badShape).toBeInstanceOf(InvalidEntryError);
    expect([badShape.field, (badShape as InvalidEntryError).index]).toEqual(['targets.3.addSource', 3]);
    const tooLong = thrown(() => prepareTim({ fromAccount: 'a', targets: targets.map((t, i) => (i === 12 ? { ...t, remark: '备'.repeat(40) } : t)) }));
    expect([tooLong.field, (tooLong as InvalidEntryError).index]).toEqual(['targets.12.remark', 12]);
    expect(tooLong.message).toMatch(/120 bytes/);
    const badSource = thrown(() => prepareTim({ fromAccount: 'a', targets: [target('x', { addSource: 'Web' })] }));
    expect(badSource.field).toBe('targets.0.addSource');
  });

  it('names request-level fields', () => {
    expect(thrown(() => prepareTim({ targets: [target('b')] } as never)).field).toBe('fromAccount');
    expect(thrown(() => prepareTim({ fromAccount: 'a'.repeat(33), targets: [target('b')] })).field).toBe('fromAccount');
    expect(thrown(() => prepareTim({ fromAccount: 'a', targets: [] })).field).toBe('targets');
    expect(thrown(() => prepareTim(null as never)).field).toBe('(root)');
    expect(thrown(() => prepareTim({ fromAccount: 'a', sdkAppId: 5, targets: [target('b')] }, { sdkAppId: 6 })).field).toBe('sdkAppId');
  });
});

describe('prepareGewe', () => {
  it('takes one item, a list, or { requestId, items }', () => {
    const single = prepareGewe(item('v3_a', { requestId: 'g1' }));
    expect([single.requestId, single.jobs.length]).toEqual(['g1', 1]);
    const list = prepareGewe([item('v3_a'), item('v3_b')]);
    expect(list.jobs.map((j) => j.requestId)).toEqual([list.requestId, list.requestId]);
    const wrapped = prepareGewe({ requestId: 'g2', items: [item('v3_a'), item('v3_b')] });
    expect(wrapped.jobs.map((j) => [j.requestId, j.v3])).toEqual([
      ['g2', 'v3_a'],
      ['g2', 'v3_b'],
    ]);
  });

  it('asks one person once per account: a repeated appId and v3 is dropped', () => {
    const prepared = prepareGewe({ items: [item('v3_a'), item('v3_a', { content: 'again' }), item('v3_a', { appId: 'wx_b' })] });
    expect(prepared.jobs.map((j) => [j.appId, j.content])).toEqual([
      ['wx_a', 'hi'],
      ['wx_b', 'hi'],
    ]);
    expect(prepared.targets).toBe(2);
  });

  it('names items.N.field, or the field of a single item', () => {
    const bad = thrown(() => prepareGewe({ items: [item('v3_a'), item('v3_b', { scene: 9 })] }));
    expect([bad.field, (bad as InvalidEntryError).index]).toEqual(['items.1.scene', 1]);
    expect(thrown(() => prepareGewe(item('v3_a', { v4: '' }))).field).toBe('v4');
    expect(thrown(() => prepareGewe({ items: [] })).field).toBe('items');
    expect(thrown(() => prepareGewe({ requestId: 'r', items: [item('v3_a', { requestId: 'other' })] })).field).toBe('items.0.requestId');
  });
});
