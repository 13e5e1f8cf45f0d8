import { describe, expect, it } from 'vitest';
import { TransportError } from '../../../src/domain/errors.js';
import { classifyTimAnswer } from '../../../src/providers/tim/classify.js';

const ok = (extra: Record<string, unknown>) => ({
  status: 200,
  body: { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', Fail_Account: [], Invalid_Account: [], ...extra },
});
const item = (To_Account: string, ResultCode: number, ResultInfo = '') => ({ To_Account, ResultCode, ResultInfo });

describe('classifyTimAnswer: transport failures', () => {
  it.each([
    new TransportError('timed out', 'timeout', true),
    new TransportError('network: ECONNREFUSED', 'network', false),
    new TransportError('HTTP 502', 'http_502', true),
    new TransportError('HTML body (HTTP 200, 120 bytes)', 'bad_response', true),
  ])('$code: every target transient, and it counts as an attempt', (err) => {
    const verdict = classifyTimAnswer(['bob', 'carol'], err);
    expect(verdict.targets).toEqual(['bob', 'carol'].map((target) => ({ target, retryClass: 'transient', code: err.code, info: err.message, answered: true })));
    expect(verdict).toMatchObject({ callCode: err.code, callInfo: err.message });
    expect(verdict.effect).toBeUndefined();
  });
});

describe('classifyTimAnswer: garbled bodies', () => {
  it.each([
    ['a string', 'oops'],
    ['an array', [1, 2]],
    ['null', null],
    ['no ActionStatus', { ErrorCode: 0 }],
    ['no ErrorCode', { ActionStatus: 'OK' }],
    ['ResultItem not an array', { ActionStatus: 'OK', ErrorCode: 0, ResultItem: { To_Account: 'bob' } }],
    ['FAIL with ErrorCode 0', { ActionStatus: 'FAIL', ErrorCode: 0 }],
  ])('%s: every target transient bad_response', (_name, body) => {
    const verdict = classifyTimAnswer(['bob', 'carol'], { status: 200, body });
    expect(verdict.targets.map((t) => t.target)).toEqual(['bob', 'carol']);
    for (const t of verdict.targets) expect(t).toMatchObject({ retryClass: 'transient', code: 'bad_response', answered: true });
    expect(verdict.callCode).toBe('bad_response');
  });

  it('a non-2xx status with a non-TIM body keeps the status as http_<status>', () => {
    const verdict = classifyTimAnswer(['bob'], { status: 404, body: { error: 'not found' } });
    expect(verdict.targets[0]).toMatchObject({ retryClass: 'transient', code: 'http_404' });
  });

  it('keeps RequestId even from a garbled body, for Tencent support', () => {
    const verdict = classifyTimAnswer(['bob'], { status: 200, body: { RequestId: 'Id-1', ActionStatus: 'OK' } });
    expect(verdict.providerRequestId).toBe('Id-1');
  });

  it('an item with a bad To_Account or ResultCode is ignored: its target is missing, hence transient', () => {
    const verdict = classifyTimAnswer(
      ['bob', 'carol'],
      ok({
        ResultItem: [{ To_Account: 42, ResultCode: 0 }, { To_Account: 'carol', ResultCode: '0' }, item('bob', 0)],
      }),
    );
    expect(verdict.targets[0]).toMatchObject({ target: 'bob', outcome: 'added' });
    expect(verdict.targets[1]).toMatchObject({ target: 'carol', retryClass: 'transient', code: 'bad_response' });
  });
});

describe('classifyTimAnswer: per-item answers', () => {
  it('finds each target its own item whether the answer lists them in the call order or not', () => {
    const targets = ['bob', 'carol', 'dave'];
    const items = [item('bob', 0), item('carol', 30010, 'Err_SNS_FriendAdd_Friend_Exceed'), item('dave', 30539)];
    const inOrder = classifyTimAnswer(targets, ok({ ResultItem: items }));
    expect(inOrder.targets.map((t) => [t.target, t.code])).toEqual([
      ['bob', 0],
      ['carol', 30010],
      ['dave', 30539],
    ]);
    expect(classifyTimAnswer(targets, ok({ ResultItem: [items[2], items[0], items[1]] }))).toEqual(inOrder);
    // The same count, but one item garbled and one repeated: read by name, first of a name counting.
    const odd = classifyTimAnswer(targets, ok({ ResultItem: [item('bob', 0), item('bob', 30001, 'Err_SNS_FriendAdd_Param'), { To_Account: 'dave' }] }));
    expect(odd.targets.map((t) => [t.target, t.code, t.retryClass])).toEqual([
      ['bob', 0, 'final'],
      ['carol', 'bad_response', 'transient'],
      ['dave', 'bad_response', 'transient'],
    ]);
  });

  it('takes an answer with extra fields and odd texts as the schema would', () => {
    const body = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: 7, RequestId: 9, ErrorDisplay: 'x', ResultItem: [item('bob', 0)] };
    const verdict = classifyTimAnswer(['bob'], { status: 200, body });
    expect(verdict).toMatchObject({ callCode: 0, callInfo: '' });
    expect(verdict.providerRequestId).toBeUndefined();
    expect(verdict.targets[0]).toMatchObject({ target: 'bob', outcome: 'added' });
  });

  it('a mixed batch: each target by its own code, order kept, RequestId and call code kept', () => {
    const verdict = classifyTimAnswer(
      ['a', 'b', 'c', 'd', 'e', 'f'],
      ok({
        RequestId: 'Id-42',
        ResultItem: [item('f', 30515), item('a', 0), item('b', 30539), item('c', 30520), item('d', 30006), item('e', 30001, 'Err_SNS_FriendAdd_Friend_Exist')],
      }),
    );
    expect(verdict.targets.map((t) => [t.target, t.retryClass, t.outcome, t.code])).toEqual([
      ['a', 'final', 'added', 0],
      ['b', 'final', 'requested', 30539],
      ['c', 'final', 'already_friends', 30520],
      ['d', 'transient', undefined, 30006],
      ['e', 'final', 'already_friends', 30001],
      ['f', 'final', 'refused', 30515],
    ]);
    expect(verdict.targets.every((t) => t.answered)).toBe(true);
    expect(verdict).toMatchObject({ callCode: 0, callInfo: '', providerRequestId: 'Id-42' });
    expect(verdict.effect).toBeUndefined();
  });

  it('a target missing from ResultItem is transient bad_response, never dropped', () => {
    const verdict = classifyTimAnswer(['bob', 'carol'], ok({ ResultItem: [item('bob', 0)] }));
    expect(verdict.targets[1]).toEqual({ target: 'carol', retryClass: 'transient', code: 'bad_response', info: 'missing from ResultItem', answered: true });
  });

  it('a target in Fail_Account without an item is transient', () => {
    const verdict = classifyTimAnswer(['bob'], ok({ ResultItem: [], Fail_Account: ['bob'] }));
    expect(verdict.targets[0]).toMatchObject({ retryClass: 'transient', info: 'in Fail_Account without a ResultItem' });
  });

  it('a target in Invalid_Account is refused with code 30003', () => {
    const verdict = classifyTimAnswer(['ghost'], ok({ ResultItem: [], Invalid_Account: ['ghost'] }));
    expect(verdict.targets[0]).toEqual({ target: 'ghost', retryClass: 'final', outcome: 'refused', code: 30003, info: 'Invalid_Account', answered: true });
  });

  it('per-item 30001 is told apart by ResultInfo', () => {
    const verdict = classifyTimAnswer(
      ['a', 'b', 'c'],
      ok({
        ResultItem: [item('a', 30001, 'Err_SNS_FriendAdd_Friend_Exist'), item('b', 30001, 'Err_SNS_FriendAdd_Source_Illegal'), item('c', 30001, 'Err_Other')],
      }),
    );
    expect(verdict.targets.map((t) => [t.outcome, t.code, t.info])).toEqual([
      ['already_friends', 30001, 'Err_SNS_FriendAdd_Friend_Exist'],
      ['refused', 30001, 'Err_SNS_FriendAdd_Source_Illegal'],
      ['refused', 30001, 'Err_Other'],
    ]);
  });

  it('an item struck by 30540 makes the call a strike; the others keep their codes', () => {
    const verdict = classifyTimAnswer(['a', 'b'], ok({ ResultItem: [item('a', 0), item('b', 30540)] }));
    expect(verdict.effect).toBe('strike');
    expect(verdict.targets[0]).toMatchObject({ outcome: 'added', answered: true });
    expect(verdict.targets[1]).toMatchObject({ retryClass: 'strike', code: 30540, answered: false });
  });

  it('30545 disables the account, and outranks a strike in the same call', () => {
    const verdict = classifyTimAnswer(['a', 'b'], ok({ ResultItem: [item('a', 30540), item('b', 30545)] }));
    expect(verdict.effect).toBe('disabled');
    expect(verdict.targets[1]).toMatchObject({ retryClass: 'final', outcome: 'refused', code: 30545 });
  });

  it('empty provider text falls back to our meaning, except for success', () => {
    const verdict = classifyTimAnswer(['a', 'b'], ok({ ResultItem: [item('a', 0), item('b', 30515)] }));
    expect(verdict.targets[0]?.info).toBe('');
    expect(verdict.targets[1]?.info).toMatch(/blacklist/);
  });
});

describe('classifyTimAnswer: whole-call failures', () => {
  const fail = (ErrorCode: number, ErrorInfo = 'e') => ({ status: 200, body: { ActionStatus: 'FAIL', ErrorCode, ErrorInfo, RequestId: 'Id-9' } });

  it('60007: every target rate_limited, no attempt used, effect rate_limited', () => {
    const verdict = classifyTimAnswer(['a', 'b'], fail(60007, 'frequency'));
    expect(verdict).toMatchObject({ effect: 'rate_limited', callCode: 60007, callInfo: 'frequency', providerRequestId: 'Id-9' });
    for (const t of verdict.targets) expect(t).toMatchObject({ retryClass: 'rate_limited', code: 60007, answered: false });
  });

  it('top-level 30001: our request was malformed, every target final failed', () => {
    const verdict = classifyTimAnswer(['a', 'b'], fail(30001, 'unpack failed'));
    for (const t of verdict.targets) expect(t).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 30001, info: 'unpack failed', answered: true });
  });

  it('70001: resign, no attempt used', () => {
    const verdict = classifyTimAnswer(['a'], fail(70001));
    expect(verdict.effect).toBe('resign');
    expect(verdict.targets[0]).toMatchObject({ retryClass: 'rate_limited', answered: false });
  });

  it('30517: split, no attempt used', () => {
    const verdict = classifyTimAnswer(['a'], fail(30517));
    expect(verdict.effect).toBe('split');
    expect(verdict.targets[0]).toMatchObject({ retryClass: 'rate_limited', answered: false });
  });

  it('ErrorCode ≠ 0 with ActionStatus OK is still a whole-call failure', () => {
    const verdict = classifyTimAnswer(['a'], { status: 200, body: { ActionStatus: 'OK', ErrorCode: 30006, ResultItem: [item('a', 0)] } });
    expect(verdict.targets[0]).toMatchObject({ retryClass: 'transient', code: 30006 });
  });
});
