import { describe, expect, it } from 'vitest';
import { packRecord } from '../../src/queue/packed-finals.js';
import { finalsFor, settleTargets } from '../../src/worker/settle-targets.js';
import type { TargetResult } from '../../src/domain/types.js';
import type { CallVerdict } from '../../src/domain/verdict.js';

const HEAD = '{"requestId":"r-1","provider":"tim","account":"alice","results":[';

/** The results' JSON texts, cut from the batch by the layout the script reads. */
function resultTexts(packed: ReturnType<typeof packRecord>): string[] {
  const sizes = packed.resultsLayout.split(',').filter(Boolean).map(Number);
  const texts: string[] = [];
  let at = packed.headBytes;
  for (const size of sizes) {
    texts.push(packed.batch.toString('utf8', at, at + size));
    at += size + 1; // the comma between results
  }
  return texts;
}

function verdictOf(items: { target: string; code: number; info: string }[], providerRequestId?: string): CallVerdict {
  return {
    callCode: 0,
    callInfo: 'OK',
    ...(providerRequestId && { providerRequestId }),
    targets: items.map((i) => ({ ...i, retryClass: 'final' as const, outcome: i.code === 0 ? ('added' as const) : ('refused' as const), answered: true })),
  };
}

describe('packRecord', () => {
  it('writes each result as JSON.stringify would, in a batch that parses to the results in order', () => {
    const items = [
      { target: 'bob', code: 0, info: 'OK' },
      { target: 'carol', code: 0, info: 'OK' },
      { target: 'dave', code: 30515, info: 'blacklisted' },
      { target: 'erin', code: 0, info: 'OK' },
      { target: 'frank "the" \\ 王', code: 0, info: 'OK' },
    ];
    const { finals } = settleTargets(verdictOf(items, 'tim-req-9'), new Map([['erin', 2]]), 3, '2026-12-04T03:00:00.000Z');
    const packed = packRecord(HEAD, finals, []);
    expect(resultTexts(packed)).toEqual(finals.map((r) => JSON.stringify(r)));
    expect(JSON.parse(packed.batch.toString('utf8'))).toEqual({ requestId: 'r-1', provider: 'tim', account: 'alice', results: finals });
  });

  it('leaves out a request id a result has not, and keeps string codes as strings', () => {
    const withoutId = settleTargets(verdictOf([{ target: 'bob', code: 0, info: 'OK' }]), new Map(), 3, '2026-12-04T03:00:00.000Z').finals;
    const cancelled = finalsFor(['carol', 'dave'], 'cancelled', 'cancelled', 'request cancelled', new Map());
    const finals: TargetResult[] = [...withoutId, ...cancelled, ...withoutId.map((r) => ({ ...r, target: 'erin', providerRequestId: 'x' }))];
    const texts = resultTexts(packRecord(HEAD, finals, []));
    expect(texts).toEqual(finals.map((r) => JSON.stringify(r)));
    expect(texts[0]).not.toContain('providerRequestId');
    expect(JSON.parse(texts[1]!)).toMatchObject({ target: 'carol', code: 'cancelled' });
    expect(JSON.parse(texts[3]!)).toMatchObject({ target: 'erin', providerRequestId: 'x' });
  });

  it('counts bytes, not characters, in every layout when a name is not ASCII', () => {
    const finals = finalsFor(['王', 'bob'], 'added', 0, 'OK', new Map());
    const packed = packRecord(HEAD, finals, [{ target: '李', attempts: 1, last: { code: 30505 } }]);
    expect(packed.finalsLayout).toBe('3,5,3,5,');
    expect(packed.finalsNames).toBe('王addedbobadded');
    expect(resultTexts(packed).map((t) => JSON.parse(t).target)).toEqual(['王', 'bob']);
    expect(packed.progressLayout).toBe('3,1,14,');
    expect(packed.outcomeCounts).toBe('added=2,');
    expect(packed.distinct).toBe(true);
  });

  it('keeps a 1000-target batch whole across its parts', () => {
    const targets = Array.from({ length: 1000 }, (_, i) => `ok_target_${i}`);
    const finals = settleTargets(
      verdictOf(
        targets.map((target) => ({ target, code: 0, info: 'OK' })),
        'tim-req-1',
      ),
      new Map(),
      3,
      '2026-12-04T03:00:00.000Z',
    ).finals;
    const packed = packRecord(HEAD, finals, []);
    expect(packed.batch.length).toBeGreaterThan(128 * 1024);
    expect(JSON.parse(packed.batch.toString('utf8')).results).toEqual(finals);
    expect(resultTexts(packed)).toHaveLength(1000);
  });

  it('counts the bytes of a shared text that is not ASCII, and escapes what a plain target never holds', () => {
    const finals: TargetResult[] = [
      ...finalsFor(['bob', 'carol'], 'refused', 30515, '黑名单', new Map()),
      ...finalsFor(['tab\there', 'quote"d', 'back\\slash', 'del\u007f', 'dave'], 'added', 0, 'OK', new Map()),
    ];
    const packed = packRecord(HEAD, finals, []);
    expect(resultTexts(packed)).toEqual(finals.map((r) => JSON.stringify(r)));
    expect(packed.finalsNames).toBe(finals.map((r) => r.target + r.outcome).join(''));
    expect(packed.finalsLayout).toBe(finals.map((r) => `${Buffer.byteLength(r.target)},${r.outcome.length},`).join(''));
    expect(packed.outcomeCounts).toBe('refused=2,added=5,');
  });

  it('says when a target is named twice, and packs no finals as an empty batch', () => {
    expect(packRecord(HEAD, finalsFor(['bob', 'carol', 'bob'], 'added', 0, 'OK', new Map()), []).distinct).toBe(false);
    const empty = packRecord(HEAD, [], []);
    expect(JSON.parse(empty.batch.toString('utf8'))).toEqual({ requestId: 'r-1', provider: 'tim', account: 'alice', results: [] });
    expect([empty.finalsLayout, empty.finalsNames, empty.resultsLayout, empty.outcomeCounts]).toEqual(['', '', '', '']);
  });

  it('keeps a batch of 1000 targets that are not all plain whole across its parts', () => {
    const finals = finalsFor(
      Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? `王_${i}` : i % 11 === 0 ? `q"${i}` : `t_${i}`)),
      'added',
      0,
      'OK',
      new Map(),
    );
    const packed = packRecord(HEAD, finals, []);
    expect(JSON.parse(packed.batch.toString('utf8')).results).toEqual(finals);
    expect(resultTexts(packed)).toEqual(finals.map((r) => JSON.stringify(r)));
  });
});
