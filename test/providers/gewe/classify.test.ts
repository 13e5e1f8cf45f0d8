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

  it.each(['http_502', 'http_503', 'http_504'] as const)('%s with a gateway page: an add ends unconfirmed, never sent again', (code) => {
    const err = new TransportError(`HTTP ${code.slice(5)} with an HTML body, 160 bytes`, code, true);
    const { verdict, t } = target(2, err);
    expect(t).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 'unconfirmed', answered: true });
    expect(t.info).toMatch(new RegExp(`^HTTP ${code.slice(5)} with an HTML body.*\\(${code}\\); the add may have been made.*not sent again`));
    expect(verdict).toMatchObject({ callCode: 'unconfirmed', callInfo: t.info });
    for (const option of [3, 4] as const) {
      expect(target(option, err).t).toMatchObject({ retryClass: 'transient', code, answered: true });
    }
  });

  it('timeout after sending an add: final failed, unconfirmed, saying it timed out', () => {
    const { verdict, t } = target(2, new TransportError('timed out', 'timeout', true));
    expect(t).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 'unconfirmed', answered: true });
    expect(t.info).toMatch(/^timed out \(timeout\); .*not sent again/);
    expect(verdict).toMatchObject({ callCode: 'unconfirmed', callInfo: t.info });
  });

  it('a timeout before any byte was sent: transient, even for an add', () => {
    const { t } = target(2, new TransportError('timed out before any byte was sent', 'timeout', false));
    expect(t).toMatchObject({ retryClass: 'transient', code: 'timeout', answered: true });
  });

  it.each([3, 4] as const)('timeout after sending option %i: transient (the person is not reached twice)', (option) => {
    const { t } = target(option, new TransportError('timed out', 'timeout', true));
    expect(t).toMatchObject({ retryClass: 'transient', code: 'timeout', info: 'timed out', answered: true });
  });

  it.each([
    ['network', 'network: ECONNRESET'],
    ['bad_response', 'an HTML body, 120 bytes (HTTP 200)'],
    ['http_500', 'HTTP 500 with an empty body'],
  ] as const)('%s after sending: unconfirmed for an add, transient for 3 and 4', (code, message) => {
    const add = target(2, new TransportError(message, code, true)).t;
    expect(add).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 'unconfirmed', answered: true });
    expect(add.info.startsWith(`${message} (${code}); `)).toBe(true);
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
  ])('%s: unconfirmed for an add, transient bad_response for an accept', (_name, body) => {
    const add = target(2, ok(body)).t;
    expect(add).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 'unconfirmed', answered: true });
    expect(add.info).toMatch(/^not a GeWe answer: no numeric ret \(HTTP 200\) \(bad_response\); the add may have been made/);
    expect(target(3, ok(body)).t).toMatchObject({ retryClass: 'transient', code: 'bad_response' });
  });

  it('says the HTTP status of a garbled answer', () => expect(target(3, ok({}, 404)).t.info).toMatch(/\(HTTP 404\)$/));

  it.each([502, 503, 504])('JSON that is not the envelope in a %i (a gateway of our own): unconfirmed add, http_<status> accept', (status) => {
    const body = { message: 'upstream timed out' };
    expect(target(2, ok(body, status)).t).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 'unconfirmed' });
    expect(target(3, ok(body, status)).t).toMatchObject({ retryClass: 'transient', code: `http_${status}` });
  });
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

  it('the real error body (a stale v4) refuses this target alone: no account effect, one attempt', () => {
    const real = { ret: 500, msg: '添加好友失败', data: { code: '-2', msg: 'user ticket invalid' } };
    for (const option of [2, 3, 4] as const) {
      const { verdict, t } = target(option, ok(real));
      expect(t).toEqual({
        target: V3,
        retryClass: 'final',
        outcome: 'refused',
        code: 500,
        info: '添加好友失败 (data.code=-2: user ticket invalid)',
        answered: true,
      });
      expect(verdict.effect).toBeUndefined();
    }
  });

  it.each([500, 502, 503, 504])("reads GeWe's envelope inside an HTTP %i by the table", (status) => {
    expect(target(2, ok({ ret: 200, msg: '操作成功', data: null }, status)).t).toMatchObject({ outcome: 'requested', code: 200 });
    expect(target(2, ok({ ret: 500, msg: '用户不存在' }, status)).t).toMatchObject({ outcome: 'refused', code: 500 });
    expect(target(2, ok({ ret: 500, msg: '操作过于频繁' }, status)).verdict.effect).toBe('strike');
  });

  it('an account fault (device offline) still parks the account and uses no attempt', () => {
    const { verdict, t } = target(2, ok({ ret: 500, msg: '设备已离线', data: null }));
    expect(t).toMatchObject({ retryClass: 'rate_limited', code: 500, answered: false });
    expect(verdict.effect).toBe('park');
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
