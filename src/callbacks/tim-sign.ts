import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * TIM's callback authentication (the token is set in the console or by `set_callback_token`): with
 * a token configured, TIM adds `RequestTime` (unix seconds) and `Sign` to the callback URL's query,
 * where `Sign = sha256(Token + RequestTime)`, lower-case hex. Tencent's webhook page gives the rule
 * and a sample (Token `xxxxyyyy`, RequestTime `1669872112` → `17773bc3…484061`), which the tests
 * check; docs/callbacks.md cites it. This function is the one place the rule lives.
 */
export function timCallbackSign(token: string, requestTime: string): string {
  return createHash('sha256').update(`${token}${requestTime}`).digest('hex');
}

/**
 * A RequestTime further than this from our clock (either way) is refused, as Tencent's page asks
 * ("exceeds 1 minute ... an invalid request, to prevent replay attacks"), ms.
 */
export const TIM_SIGN_WINDOW_MS = 60 * 1000;

export type SignCheck = { ok: true } | { ok: false; reason: string };

/** Checks `Sign` and `RequestTime` against the token, in constant time whatever was sent. */
export function checkTimSign(token: string, requestTime: unknown, sign: unknown, nowMs = Date.now()): SignCheck {
  if (typeof requestTime !== 'string' || !/^\d{1,12}$/.test(requestTime)) return { ok: false, reason: 'RequestTime missing or not unix seconds' };
  if (typeof sign !== 'string' || sign === '') return { ok: false, reason: 'Sign missing' };
  if (Math.abs(nowMs - Number(requestTime) * 1000) > TIM_SIGN_WINDOW_MS) return { ok: false, reason: 'RequestTime outside the accepted window' };
  // Hash both sides first: equal lengths for timingSafeEqual, and no early exit on a length mismatch.
  const expected = digest(timCallbackSign(token, requestTime));
  const given = digest(sign.toLowerCase());
  return timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'Sign does not match' };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
