import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signing and verifying result webhooks. This file depends on node:crypto alone, so receivers on
 * Node can copy it as it is; docs/webhook.md shows the same steps for other languages.
 */

/** The header values: `X-FriendAdd-Timestamp` and `X-FriendAdd-Signature`. */
export const TIMESTAMP_HEADER = 'x-friendadd-timestamp';
export const SIGNATURE_HEADER = 'x-friendadd-signature';

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. */
export function signWebhook(secret: string, timestampSec: number | string, body: string | Buffer): string {
  const hmac = createHmac('sha256', secret).update(`${timestampSec}.`).update(body).digest('hex');
  return `sha256=${hmac}`;
}

/**
 * True when `signature` was made with `secret` over this timestamp and these exact body bytes,
 * and the timestamp is within `toleranceSec` of now (either way): an old request replayed by
 * someone who captured it is refused, though its signature is genuine.
 *
 * @param timestamp the X-FriendAdd-Timestamp header (unix seconds)
 * @param body the raw request body, before any JSON parsing
 * @param signature the X-FriendAdd-Signature header (`sha256=<hex>`)
 * @param toleranceSec how old (or early) a timestamp may be; default 300 (5 minutes)
 * @param nowSec the receiver's clock, unix seconds; default now
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | undefined,
  body: string | Buffer,
  signature: string | undefined,
  toleranceSec = 300,
  nowSec = Math.floor(Date.now() / 1000),
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSec - Number(timestamp)) > toleranceSec) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; a length mismatch says nothing about the secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
