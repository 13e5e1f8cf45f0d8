import { describe, expect, it } from 'vitest';
import type { Outcome, RetryClass } from '../../../src/domain/types.js';
import { GEWE_CODES, findGeweCode, geweCode, type GeweEffect } from '../../../src/providers/gewe/codes.js';
import type { GeweOption } from '../../../src/providers/gewe/schema.js';

interface Row {
  name: string;
  /** A sample answer for the row: ret, option, and msg with data.msg joined as the table sees them. */
  ret: number;
  option: GeweOption;
  text: string;
  retryClass: RetryClass;
  outcome?: Outcome;
  effect?: GeweEffect;
}

const park = { retryClass: 'rate_limited', effect: 'park' } as const;
const strike = { retryClass: 'strike', effect: 'strike' } as const;
const suspend = { retryClass: 'rate_limited', effect: 'suspend' } as const;
const refused = { retryClass: 'final', outcome: 'refused' } as const;

/** One row per named entry; the expectations are written out, not read from the table. */
const ROWS: Row[] = [
  { name: 'ok_add', ret: 200, option: 2, text: '操作成功', retryClass: 'final', outcome: 'requested' },
  { name: 'ok_accept', ret: 200, option: 3, text: '操作成功', retryClass: 'final', outcome: 'added' },
  { name: 'ok_reject', ret: 200, option: 4, text: '操作成功', retryClass: 'final', outcome: 'declined' },
  { name: 'token_invalid', ret: 500, option: 2, text: 'token无效', ...suspend },
  { name: 'device_offline', ret: 500, option: 3, text: '设备已离线', ...park },
  { name: 'not_logged_in', ret: 500, option: 2, text: '微信未登录', ...park },
  { name: 'logged_out', ret: 500, option: 2, text: '微信已退出', ...park },
  { name: 'device_unknown', ret: 500, option: 4, text: '设备不存在', ...park },
  { name: 'ticket_invalid', ret: 500, option: 2, text: '添加好友失败\nuser ticket invalid', ...refused },
  { name: 'target_restricted', ret: 500, option: 2, text: '添加好友失败\n对方账号已被限制登录', ...refused },
  { name: 'too_frequent', ret: 500, option: 2, text: '操作过于频繁，请稍后再试', ...strike },
  { name: 'risk_control', ret: 500, option: 2, text: '添加好友失败\n账号存在风险', ...strike },
  { name: 'restricted', ret: 500, option: 2, text: '该账号添加好友功能已被限制', ...strike },
  { name: 'daily_limit', ret: 500, option: 2, text: '今日添加好友次数已达上限', ...strike },
  { name: 'already_friends', ret: 500, option: 2, text: '对方已是好友', retryClass: 'final', outcome: 'already_friends' },
  { name: 'rejected_by_user', ret: 500, option: 2, text: '对方拒绝添加', ...refused },
  { name: 'user_not_found', ret: 500, option: 2, text: '用户不存在', ...refused },
  { name: 'blacklisted', ret: 500, option: 2, text: '对方已将你加入黑名单', ...refused },
  { name: 'not_allowed', ret: 500, option: 2, text: '对方不允许通过群聊添加', ...refused },
  { name: 'friend_list_full', ret: 500, option: 3, text: '好友数量已达上限', ...refused },
  { name: 'v3v4_invalid', ret: 500, option: 2, text: '添加好友失败\nv4已过期', ...refused },
  { name: 'invalid_param', ret: 500, option: 2, text: '参数错误', ...refused },
  { name: 'unknown', ret: 500, option: 2, text: '系统异常\nunexpected state', retryClass: 'final', outcome: 'failed' },
];

describe('the GeWe answer table', () => {
  it.each(ROWS)('$name → $retryClass / $outcome / $effect', (row) => {
    const entry = findGeweCode(row.ret, row.option, row.text);
    expect(entry.name).toBe(row.name);
    expect({ retryClass: entry.retryClass, outcome: entry.outcome, effect: entry.effect }).toEqual({
      retryClass: row.retryClass,
      outcome: row.outcome,
      effect: row.effect,
    });
    expect(entry.meaning.length).toBeGreaterThan(0);
  });

  it('has a test row for every named entry, and names are unique', () => {
    const names = GEWE_CODES.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(ROWS.map((r) => r.name).sort()).toEqual([...names].sort());
  });

  it('ends with the catch-all, and every other row sets a condition', () => {
    const last = GEWE_CODES[GEWE_CODES.length - 1]!;
    expect([last.name, last.ret, last.option, last.pattern]).toEqual(['unknown', undefined, undefined, undefined]);
    for (const e of GEWE_CODES.slice(0, -1)) expect(e.ret !== undefined || e.pattern !== undefined).toBe(true);
  });

  it('puts outcomes on final rows only, and effects on strike/park/suspend rows only', () => {
    for (const e of GEWE_CODES) {
      expect(e.outcome !== undefined).toBe(e.retryClass === 'final');
      if (e.effect === 'strike') expect(e.retryClass).toBe('strike');
      if (e.effect === 'park' || e.effect === 'suspend') expect(e.retryClass).toBe('rate_limited');
      if (e.effect === undefined) expect(e.retryClass).toBe('final');
    }
  });
});

describe('matching', () => {
  it('ret 200 is success whatever the message says', () => {
    expect(findGeweCode(200, 2, '操作过于频繁').name).toBe('ok_add');
  });

  it('a message row never matches without its words, whatever the ret', () => {
    expect(findGeweCode(500, 2, '添加好友失败').name).toBe('unknown');
    expect(findGeweCode(-1, 3, '').name).toBe('unknown');
    expect(findGeweCode(404, 4, 'Not Found').name).toBe('unknown');
  });

  it.each([
    ['too frequent, try later', 'too_frequent'],
    ['Risk control triggered', 'risk_control'],
    ['device offline', 'device_offline'],
    ['not logged in', 'not_logged_in'],
    ['account logout', 'logged_out'],
    ['USER TICKET INVALID', 'ticket_invalid'],
    ['invalid token', 'token_invalid'],
    ['user not exist', 'user_not_found'],
    ['already friends', 'already_friends'],
    ['in blacklist', 'blacklisted'],
    ['param error', 'invalid_param'],
    ['v3 invalid', 'v3v4_invalid'],
    ['friend request refused', 'rejected_by_user'],
  ])('English: %j → %s', (text, name) => {
    expect(findGeweCode(500, 2, text).name).toBe(name);
  });

  it('prefers a park over a strike when a message reads as both', () => {
    expect(findGeweCode(500, 2, '设备已离线，操作受限').name).toBe('device_offline');
  });

  it('reads a daily allowance as a strike, a full friend list as final', () => {
    expect(findGeweCode(500, 2, '今日添加好友已达上限').name).toBe('daily_limit');
    expect(findGeweCode(500, 2, '好友已满').name).toBe('friend_list_full');
  });

  it.each([
    ['添加好友失败\nuser ticket invalid', 'ticket_invalid'],
    ['ticket expired', 'ticket_invalid'],
    ['票据已过期', 'ticket_invalid'],
    ['对方账号已被限制登录', 'target_restricted'],
    ['对方账号存在风险', 'target_restricted'],
    ['对方帐号已被封', 'target_restricted'],
    ['对方已将你加入黑名单，添加受限', 'target_restricted'],
    ['target account is banned', 'target_restricted'],
  ])('a fault of the person stays with the person: %j → %s, refused, no account effect', (text, name) => {
    const entry = findGeweCode(500, 2, text);
    expect({ name: entry.name, outcome: entry.outcome, effect: entry.effect }).toEqual({ name, outcome: 'refused', effect: undefined });
  });

  it.each([
    ['该账号添加好友功能已被限制', 'restricted'],
    ['账号存在风险', 'risk_control'],
    ['设备已离线', 'device_offline'],
  ])('a fault of the account still stops the account: %j → %s', (text, name) => {
    const entry = findGeweCode(500, 2, text);
    expect(entry.name).toBe(name);
    expect(entry.effect).toBeDefined();
  });

  it('finds rows by name', () => {
    expect(geweCode('ticket_invalid')?.outcome).toBe('refused');
    expect(geweCode('device_offline')?.effect).toBe('park');
    expect(geweCode('nope')).toBeUndefined();
  });
});
