import type { Outcome, RetryClass } from '../../domain/types.js';
import type { GeweOption } from './schema.js';

/** What a GeWe answer does to the account as a whole, or to our credential (see AccountEffect). */
export type GeweEffect = 'strike' | 'park' | 'suspend';

/**
 * One row of the answer table. A row matches when every condition it sets holds: `ret` equals,
 * `option` equals, `pattern` is found in `msg` or `data.msg`. The first matching row wins.
 */
export interface GeweCodeEntry {
  readonly name: string;
  readonly ret?: number;
  readonly option?: GeweOption;
  readonly pattern?: RegExp;
  readonly retryClass: RetryClass;
  /** Set when retryClass is `final`. */
  readonly outcome?: Outcome;
  readonly effect?: GeweEffect;
  readonly meaning: string;
}

const SUCCESS = 200;

// Park: the account cannot act until an operator fixes it and resumes it. Calling again costs no
// attempt ('rate_limited'), because the target was never considered.
const park = (name: string, pattern: RegExp, meaning: string): GeweCodeEntry => ({
  name,
  pattern,
  retryClass: 'rate_limited',
  effect: 'park',
  meaning: `${meaning}; call again once the account is resumed, no attempt used`,
});

// Suspend: our configuration is wrong (the deployment's one token). Every worker stops calling
// with it and probes it now and then; no target ends and none uses an attempt.
const suspend = (name: string, pattern: RegExp, meaning: string): GeweCodeEntry => ({
  name,
  pattern,
  retryClass: 'rate_limited',
  effect: 'suspend',
  meaning: `${meaning}; the credential is suspended for every worker until a probe succeeds, no attempt used`,
});

// Strike: WeChat's anti-spam is watching; the account rests for GEWE_STRIKE_BACKOFF_MS.
const strike = (name: string, pattern: RegExp, meaning: string): GeweCodeEntry => ({
  name,
  pattern,
  retryClass: 'strike',
  effect: 'strike',
  meaning: `${meaning}; rest the account, then call again, no attempt used`,
});

const final = (name: string, pattern: RegExp, outcome: Outcome, meaning: string): GeweCodeEntry => ({
  name,
  pattern,
  retryClass: 'final',
  outcome,
  meaning,
});

/**
 * GeWe's answers, in priority order. GeWe has no list of error codes: answers are `ret` (200 or,
 * usually, 500) and a Chinese `msg`, with the real reason often in `data.msg`. So rows are keyed
 * by `ret` and by message patterns.
 *
 * Rows concern either the account (park, strike: its other targets wait too) or one person (final
 * rows: that target alone gets its result, and the account's other work goes on). A fault of the
 * person must never stop the account: a stale v4 or the other side's restricted account would
 * otherwise hold up, or rest, every other target.
 *
 * The order matters where a message could match two rows:
 * 1. success, by `ret` alone, so no message can turn a 200 into an error;
 * 2. our token (suspend), then park: a specific broken session of the account;
 * 3. answers that name the person's own ticket or account (the v4, 对方…): before the strike rows,
 *    whose words (限制, 风险) are broad and would otherwise rest the account for the person's fault;
 * 4. strike;
 * 5. other known final answers;
 * 6. anything else with ret != 200: final `failed`, never retried. An add (option 2) we cannot
 *    read may have reached the person, and a repeat could reach them twice.
 */
export const GEWE_CODES: readonly GeweCodeEntry[] = [
  { name: 'ok_add', ret: SUCCESS, option: 2, retryClass: 'final', outcome: 'requested', meaning: 'request sent; the other side decides' },
  { name: 'ok_accept', ret: SUCCESS, option: 3, retryClass: 'final', outcome: 'added', meaning: 'request accepted; friends now' },
  { name: 'ok_reject', ret: SUCCESS, option: 4, retryClass: 'final', outcome: 'declined', meaning: 'request rejected' },

  // The token is one for the whole deployment: a wrong one is our configuration error, so it
  // suspends the credential and keeps every target intact (final `refused` would end them all).
  suspend('token_invalid', /token.{0,8}(无效|失效|过期|错误|不存在|invalid|expired)|(invalid|expired)\s+token/i, 'X-GEWE-TOKEN is not accepted'),
  park('device_offline', /离线|掉线|offline/i, 'the WeChat account (device) is offline'),
  park('not_logged_in', /未登录|登录(已)?(失效|过期)|请(重新)?登录|not\s+log(ged)?\s*in|login\s+(expired|required)/i, 'the WeChat account is not logged in'),
  park('logged_out', /已退出|退出登录|已登出|logged\s*out|logout/i, 'the WeChat account logged out'),
  park(
    'device_unknown',
    /设备(不存在|无效|未找到)|appId.{0,8}(不存在|无效|invalid|not\s+(exist|found))|device\s+not\s+(exist|found)/i,
    'GeWe does not know this appId',
  ),

  // The ticket is the person's v4 (from a search or their friend request), not the account's
  // session: the real body is {"ret":500,"msg":"添加好友失败","data":{"code":"-2","msg":"user ticket invalid"}}.
  final(
    'ticket_invalid',
    /user ticket invalid|ticket\s*(is\s*)?(invalid|expired)|票据.{0,4}(无效|失效|过期)/i,
    'refused',
    "the person's ticket (v4) is invalid or expired; search again",
  ),
  final(
    'v3v4_invalid',
    /v[34].{0,12}(无效|失效|过期|错误|invalid|expired)|(invalid|expired).{0,12}\bv[34]\b/i,
    'refused',
    'v3 or v4 is invalid or expired; search again',
  ),
  final(
    'target_restricted',
    /对方.{0,12}(限制|受限|封|异常|风险|违规)|(target|other)\s+(user|account)\s+(is\s+)?(restricted|banned|blocked|abnormal)/i,
    'refused',
    "the other side's account is restricted or banned",
  ),

  strike('too_frequent', /频繁|过快|too\s+(frequent|often|fast|many\s+requests)|frequen/i, 'frequency control'),
  strike('risk_control', /风险|风控|安全验证|环境异常|risk/i, 'risk control'),
  strike('restricted', /限制|受限|restricted/i, 'the account is restricted'),
  strike('daily_limit', /今日.{0,12}上限|次数.{0,8}(上限|超)|daily\s+limit/i, "the account's daily allowance is used up"),

  final('already_friends', /已是好友|已经是好友|已为好友|已经是你的好友|already\s+(a\s+)?friends?/i, 'already_friends', 'the two are friends already'),
  final('rejected_by_user', /对方拒绝|拒绝添加|refused|rejected/i, 'refused', 'the other side refuses'),
  final(
    'user_not_found',
    /用户不存在|对方.{0,4}不存在|账号不存在|user\s+(does\s+)?not\s+exist|user\s+not\s+found|no\s+such\s+user/i,
    'refused',
    'no such WeChat user',
  ),
  final('blacklisted', /黑名单|拉黑|black\s*list/i, 'refused', 'blacklisted'),
  final('not_allowed', /不允许|无法添加|禁止添加|not\s+allowed/i, 'refused', 'the other side does not allow this add'),
  final('friend_list_full', /好友.{0,6}(已满|上限)|通讯录已满|friend\s+list\s+(is\s+)?full|too\s+many\s+friends/i, 'refused', 'a friend list is full'),
  final(
    'invalid_param',
    /参数(错误|有误|不正确|异常|缺失|无效)|缺少参数|param(eter)?s?\s+(error|invalid|missing)|invalid\s+param|bad\s+request/i,
    'refused',
    'GeWe rejected a field of the call',
  ),

  { name: 'unknown', retryClass: 'final', outcome: 'failed', meaning: 'an answer nobody recognises; not retried, as an add may have gone out' },
];

/** The first row that matches; the last row matches anything, so there always is one. */
export function findGeweCode(ret: number, option: GeweOption, text: string): GeweCodeEntry {
  for (const entry of GEWE_CODES) {
    if (entry.ret !== undefined && entry.ret !== ret) continue;
    if (entry.option !== undefined && entry.option !== option) continue;
    if (entry.pattern !== undefined && !entry.pattern.test(text)) continue;
    return entry;
  }
  // Unreachable while the table ends with its catch-all row; kept so the type says "always".
  return GEWE_CODES[GEWE_CODES.length - 1]!;
}

/** A row by name, for tests and docs. */
export function geweCode(name: string): GeweCodeEntry | undefined {
  return GEWE_CODES.find((e) => e.name === name);
}
