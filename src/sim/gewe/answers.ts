/**
 * The simulator's answers, in GeWe's `{ret, msg, data}` envelope. GeWe answers errors with HTTP 200
 * and `ret` 500, and documents only the success shape; the error messages below are plausible
 * ones, each chosen so that the provider's table (src/providers/gewe/codes.ts) classifies it as
 * the behaviour intends. The ticket body is the real one from NOTES.md.
 */
export interface GeweAnswer {
  ret: number;
  msg: string;
  data: null | { code?: string; msg?: string };
}

export const SIM_ANSWERS = {
  /** The doc's success example, with the usual `data: null`. Table row: ok_add/ok_accept/ok_reject. */
  success: { ret: 200, msg: '操作成功', data: null },
  /** A wrong or missing X-GEWE-TOKEN. Assumed wording. Table row: token_invalid (park). */
  tokenInvalid: { ret: 500, msg: 'token无效', data: null },
  /** `v3_final…`. Table row: user_not_found (final refused). */
  userNotFound: { ret: 500, msg: '用户不存在', data: null },
  /** `v3_already…`. Table row: already_friends (final already_friends). */
  alreadyFriends: { ret: 500, msg: '对方已是好友', data: null },
  /** `v3_freq…`. Table row: too_frequent (strike). */
  tooFrequent: { ret: 500, msg: '操作过于频繁，请稍后再试', data: null },
  /** `v3_ticket…`: the real error body. Table row: ticket_invalid (park). */
  ticketInvalid: { ret: 500, msg: '添加好友失败', data: { code: '-2', msg: 'user ticket invalid' } },
  /** `v3_offline…`. Table row: device_offline (park). */
  offline: { ret: 500, msg: '设备已离线', data: null },
  /** `v3_unknown…`: matches no row on purpose. Table row: unknown (final failed). */
  unknown: { ret: 500, msg: '系统异常', data: { code: '-99', msg: 'unexpected state' } },
} as const satisfies Record<string, GeweAnswer>;

/** A body that breaks the doc's schema. Table row: invalid_param (final refused). */
export function paramError(detail: string): GeweAnswer {
  return { ret: 500, msg: '参数错误', data: { msg: detail } };
}

/** What an nginx in front of GeWe answers when GeWe is down: not JSON at all. */
export const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** The start of a success body, cut mid-string: what a dropped connection leaves behind. */
export const TRUNCATED_JSON = '{"ret":200,"msg":"操作成';

/** What a gateway answers when GeWe took longer than the gateway waits: GeWe may well have acted. */
export const GATEWAY_TIMEOUT_HTML =
  '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
