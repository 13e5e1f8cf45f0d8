import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyTimAnswer } from '../../../src/providers/tim/classify.js';
import { TIM_CODES } from '../../../src/providers/tim/codes.js';

/** One row per code (and per level or ResultInfo where TIM reuses a code), checked by hand. */
interface Row {
  code: number;
  level: 'item' | 'call' | 'both';
  info?: string;
  retryClass: string;
  outcome?: string;
  effect?: string;
  doc: string;
}

const rows = JSON.parse(readFileSync(new URL('./fixtures/codes.json', import.meta.url), 'utf8')) as Row[];

const itemAnswer = (code: number, info = '') => ({
  status: 200,
  body: {
    ActionStatus: 'OK',
    ErrorCode: 0,
    ErrorInfo: '',
    Fail_Account: [],
    Invalid_Account: [],
    ResultItem: [{ To_Account: 'bob', ResultCode: code, ResultInfo: info }],
  },
});
const callAnswer = (code: number) => ({ status: 200, body: { ActionStatus: 'FAIL', ErrorCode: code, ErrorInfo: `err ${code}` } });

/** Strikes and frequency refusals do not use up attempts; everything TIM answered for does. */
const answeredFor = (retryClass: string) => retryClass === 'transient' || retryClass === 'final';

const levelsOf = (row: Row): Array<'item' | 'call'> => (row.level === 'both' ? ['item', 'call'] : [row.level]);
const cases = rows.flatMap((row) => levelsOf(row).map((level) => ({ ...row, level })));

describe('TIM code table', () => {
  it.each(cases)('$level $code $info → $retryClass $outcome $effect', (row) => {
    const answer = row.level === 'item' ? itemAnswer(row.code, row.info) : callAnswer(row.code);
    const verdict = classifyTimAnswer(['bob'], answer);
    const [target] = verdict.targets;
    expect(verdict.targets).toHaveLength(1);
    expect(target).toMatchObject({ target: 'bob', code: row.code, retryClass: row.retryClass });
    expect(target?.outcome).toBe(row.outcome);
    expect(target?.answered).toBe(answeredFor(row.retryClass));
    expect(verdict.effect).toBe(row.effect);
  });

  it('the fixture and the table name the same codes', () => {
    const fixtureCodes = [...new Set(rows.map((r) => r.code))].sort();
    const tableCodes = [...TIM_CODES.keys()].sort();
    expect(fixtureCodes).toEqual(tableCodes);
  });

  it('covers every code of the friend_add doc (§2.10) and of the notes', () => {
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const doc = [...range(30001, 30005), ...range(30501, 30545)];
    const notes = [
      30006, 30007, 30008, 30009, 30010, 30012, 30014, 60007, 60008, 60011, 60014, 60018, 60019, 70001, 70003, 70005, 70009, 70013, 70014, 70050, 70169,
    ];
    for (const code of [0, ...doc, ...notes]) expect(TIM_CODES.has(code), `code ${code}`).toBe(true);
  });

  it('an unknown code is final failed, keeping the code and TIM text', () => {
    const item = classifyTimAnswer(['bob'], itemAnswer(39999, 'Err_Something_New'));
    expect(item.targets[0]).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 39999, info: 'Err_Something_New', answered: true });
    const call = classifyTimAnswer(['bob'], callAnswer(79999));
    expect(call.targets[0]).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 79999, info: 'err 79999' });
    expect(call).toMatchObject({ callCode: 79999, callInfo: 'err 79999' });
  });
});
