import { describe, expect, it } from 'vitest';
import { TransportError } from '../../../src/domain/errors.js';
import { classifyGeweAnswer } from '../../../src/providers/gewe/classify.js';
import type { GeweOption } from '../../../src/providers/gewe/schema.js';

const V3 = 'v3_target@stranger';
const job = (option: GeweOption) => ({ option, v3: V3 });
const ok = (body: unknown, status = 200) => ({ status, body });
const target = (option: GeweOption, answer: Parameters<typeof classifyGeweAnswer>[1]) => {
  const verdict = classifyGeweAnswer(job(option), answer);
  expect(verdict.targets).toHaveLength(1);
  expect(verdict.targets[0]?.target).toBe(V3);
  return { verdict, t: verdict.targets[0]! };
};

describe('classifyGeweAnswer: transport failures', () => {
  it.each([2, 3, 4] as const)('never sent (connection refused): transient for option %i', (option) => {
    const { verdict, t } = target(option, new TransportError('network: ECONNREFUSED', 'network', false));
    expect(t).toMatchObject({ retryClass: 'transient', code: 'network', answered: true });
    expect(t.outcome).toBeUndefined();
    expect(verdict.effect).toBeUndefined();
  });

  it.each([2, 3, 4] as const)('reset before the request was written: transient for option %i', (option) => {
    expect(target(option, new TransportError('network: ECONNRESET', 'network', false)).t.retryClass).toBe('transient');
  });

  it.each(['http_502', 'http_503', 'http_504'] as const)('%s: transient, even for an add', (code) => {
    for (const option of [2, 3, 4] as const) {
      const { verdict, t } = target(option, new TransportError(`HTTP ${code.slice(5)}`, code, true));
      expect(t).toMatchObject({ retryClass: 'transient', code, answered: true });
      expect(verdict.callCode).toBe(code);
    }
  });

  it('timeout after sending an add: final failed with code timeout, never sent again', () => {
    const { verdict, t } = target(2, new TransportError('timed out', 'timeout', true));
    expect(t).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 'timeout', answered: true });
    expect(t.info).toMatch(/^timed out; .*not sent again/);
    expect(verdict).toMatchObject({ callCode: 'timeout', callInfo: t.info });
  });

  it.each([3, 4] as const)('timeout after sending option %i: transient (the person is not reached twice)', (option) => {
    const { t } = target(option, new TransportError('timed out', 'timeout', true));
    expect(t).toMatchObject({ retryClass: 'transient', code: 'timeout', info: 'timed out', answered: true });
  });

  it.each([
    ['network', 'network: ECONNRESET'],
    ['bad_response', 'HTML body (HTTP 200, 120 bytes)'],
    ['http_500', 'HTTP 500'],
  ] as const)('%s after sending: final failed for an add, transient for 3 and 4', (code, message) => {
    const add = target(2, new TransportError(message, code, true)).t;
    expect(add).toMatchObject({ retryClass: 'final', outcome: 'failed', code, answered: true });
    expect(add.info.startsWith(message)).toBe(true);
    for (const option of [3, 4] as const) {
      expect(target(option, new TransportError(message, code, true)).t).toMatchObject({ retryClass: 'transient', code, info: message });
    }
  });
});

describe('classifyGeweAnswer: bodies that are not GeWe answers', () => {
  it.each([
    ['a string', 'ok'],
    ['null', null],
    ['an array', [{ ret: 200 }]],
    ['no ret', { msg: '操作成功' }],
    ['a string ret', { ret: '200', msg: '操作成功' }],
    ['a 404 page as JSON', { timestamp: 1, status: 404, error: 'Not Found' }],
  ])('%s: bad_response, final failed for an add and transient for an accept', (_name, body) => {
    const add = target(2, ok(body)).t;
    expect(add).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 'bad_response', answered: true });
    expect(add.info).toMatch(/^not a GeWe answer: no numeric ret \(HTTP 200\)/);
    expect(target(3, ok(body)).t).toMatchObject({ retryClass: 'transient', code: 'bad_response' });
  });

  it('says the HTTP status of a garbled answer', () => expect(target(3, ok({}, 404)).t.info).toMatch(/\(HTTP 404\)$/));
});

describe('classifyGeweAnswer: GeWe answers', () => {
  it.each([
    [2, 'requested'],
    [3, 'added'],
    [4, 'declined'],
  ] as const)('ret 200 with option %i → %s', (option, outcome) => {
    const { verdict, t } = target(option, ok({ ret: 200, msg: '操作成功', data: null }));
    expect(t).toEqual({ target: V3, retryClass: 'final', outcome, code: 200, info: '操作成功', answered: true });
    expect(verdict).toEqual({ targets: [t], callCode: 200, callInfo: '操作成功' });
  });

  it('the real error body parks the account, keeps ret as code and data in info, uses no attempt', () => {
    const real = { ret: 500, msg: '添加好友失败', data: { code: '-2', msg: 'user ticket invalid' } };
    const { verdict, t } = target(2, ok(real));
    expect(t).toEqual({
      target: V3,
      retryClass: 'rate_limited',
      code: 500,
      info: '添加好友失败 (data.code=-2: user ticket invalid)',
      answered: false,
    });
    expect(verdict).toMatchObject({ effect: 'park', callCode: 500, callInfo: '添加好友失败 (data.code=-2: user ticket invalid)' });
  });

  it('a frequency answer strikes the account and uses no attempt', () => {
    const { verdict, t } = target(2, ok({ ret: 500, msg: '操作过于频繁，请稍后再试', data: null }));
    expect(t).toMatchObject({ retryClass: 'strike', code: 500, answered: false });
    expect(verdict.effect).toBe('strike');
  });

  it('a known final message is refused and counts as an attempt', () => {
    const { verdict, t } = target(2, ok({ ret: 500, msg: '用户不存在' }));
    expect(t).toMatchObject({ retryClass: 'final', outcome: 'refused', code: 500, info: '用户不存在', answered: true });
    expect(verdict.effect).toBeUndefined();
  });

  it('an unknown message is final failed, not retried, with its ret as code', () => {
    const { t } = target(3, ok({ ret: 501, msg: '系统异常', data: { code: '-99', msg: 'unexpected state' } }));
    expect(t).toEqual({
      target: V3,
      retryClass: 'final',
      outcome: 'failed',
      code: 501,
      info: '系统异常 (data.code=-99: unexpected state)',
      answered: true,
    });
  });

  it('reads answers with a 4xx status by their ret', () => {
    expect(target(2, ok({ ret: 500, msg: '参数错误' }, 400)).t).toMatchObject({ outcome: 'refused', code: 500 });
  });
});

describe('classifyGeweAnswer: info', () => {
  it.each([
    [{ ret: 500, msg: '添加好友失败', data: { code: -2, msg: 'x' } }, '添加好友失败 (data.code=-2: x)'],
    [{ ret: 500, msg: '添加好友失败', data: { code: '-2' } }, '添加好友失败 (data.code=-2)'],
    [{ ret: 500, msg: '添加好友失败', data: { msg: 'x' } }, '添加好友失败 (data.msg=x)'],
    [{ ret: 500, msg: '添加好友失败', data: { code: '', msg: '' } }, '添加好友失败'],
    [{ ret: 500, msg: '添加好友失败', data: 'text data' }, '添加好友失败'],
    [{ ret: 500, data: { code: '-2', msg: 'user ticket invalid' } }, '(data.code=-2: user ticket invalid)'],
    [{ ret: 500, msg: 42 }, ''],
  ])('%j → %j', (body, info) => {
    expect(target(3, ok(body)).t.info).toBe(info);
  });

  it('matches the table against data.msg as well as msg', () => {
    const { verdict } = target(2, ok({ ret: 500, msg: '添加好友失败', data: { code: '-3', msg: '操作过于频繁' } }));
    expect(verdict.effect).toBe('strike');
  });
});
