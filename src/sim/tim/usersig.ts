import { createHmac, timingSafeEqual } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { TIM } from './codes.js';

/** The signed fields of a UserSig, as tls-sig-api-v2 writes them. */
export interface SigDoc {
  identifier: string;
  sdkAppId: number;
  /** Seconds since the epoch when it was signed. */
  time: number;
  /** Lifetime in seconds. */
  expire: number;
}

/** A UserSig decoded and its HMAC checked against the key, or the code that refuses it. */
export type DecodedSig = { ok: true; doc: SigDoc } | { ok: false; code: number };

/**
 * Decodes a UserSig and checks its HMAC: base64 with `+/=` written as `*-_`, over zlib-deflated
 * JSON carrying `TLS.sig`, an HMAC-SHA256 (base64) of the same content string tls-sig-api-v2
 * signs. Nothing here depends on the request, so the result can be cached per sig.
 */
export function decodeUserSig(userSig: string, secretKey: string): DecodedSig {
  let raw: Record<string, unknown>;
  try {
    const b64 = userSig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
    raw = JSON.parse(inflateSync(Buffer.from(b64, 'base64')).toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, code: TIM.SIG_UNPARSABLE };
  }
  const identifier = raw['TLS.identifier'];
  const sdkAppId = raw['TLS.sdkappid'];
  const time = raw['TLS.time'];
  const expire = raw['TLS.expire'];
  const sig = raw['TLS.sig'];
  const userBuf = raw['TLS.userbuf'];
  if (
    typeof identifier !== 'string' ||
    typeof sdkAppId !== 'number' ||
    typeof time !== 'number' ||
    typeof expire !== 'number' ||
    typeof sig !== 'string' ||
    (userBuf !== undefined && typeof userBuf !== 'string')
  ) {
    return { ok: false, code: TIM.SIG_UNPARSABLE };
  }
  const expected = hmacOf(secretKey, identifier, sdkAppId, time, expire, userBuf);
  if (!sameText(expected, sig)) return { ok: false, code: TIM.SIG_WRONG_KEY };
  return { ok: true, doc: { identifier, sdkAppId, time, expire } };
}

/** The content string and HMAC exactly as tls-sig-api-v2's `_hmacsha256` builds them. */
export function hmacOf(secretKey: string, identifier: string, sdkAppId: number, time: number, expire: number, userBuf?: string): string {
  let content = `TLS.identifier:${identifier}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${time}\nTLS.expire:${expire}\n`;
  if (userBuf !== undefined) content += `TLS.userbuf:${userBuf}\n`;
  return createHmac('sha256', secretKey).update(content).digest('base64');
}

/**
 * The checks that depend on the request: the sig names this identifier and this app, and is still
 * valid at `nowMs`. Returns 0 when the sig is good, else TIM's code.
 */
export function checkSigFor(decoded: DecodedSig, identifier: string, sdkAppId: number, nowMs: number): number {
  if (!decoded.ok) return decoded.code;
  const { doc } = decoded;
  if (doc.identifier !== identifier) return TIM.SIG_IDENTIFIER_MISMATCH;
  if (doc.sdkAppId !== sdkAppId) return TIM.SIG_SDKAPPID_MISMATCH;
  if ((doc.time + doc.expire) * 1000 <= nowMs) return TIM.SIG_EXPIRED;
  return TIM.OK;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Decoded sigs by their text, so the hot path inflates and hashes each sig once. A worker reuses
 * one sig for hours; the bound only stops a flood of distinct sigs from growing memory.
 */
export class UserSigCache {
  private readonly byText = new Map<string, DecodedSig>();

  constructor(
    private readonly secretKey: string,
    private readonly maxEntries = 1000,
  ) {}

  decode(userSig: string): DecodedSig {
    let decoded = this.byText.get(userSig);
    if (!decoded) {
      decoded = decodeUserSig(userSig, this.secretKey);
      if (this.byText.size >= this.maxEntries) this.byText.clear();
      this.byText.set(userSig, decoded);
    }
    return decoded;
  }
}
