import { createHmac } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { Api } from 'tls-sig-api-v2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../../src/lib/clock.js';
import { secrets } from '../../../src/lib/secrets.js';
import { UserSigCache } from '../../../src/providers/tim/usersig.js';

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const SDKAPPID = 1400000000;
const DAY_MS = 86_400_000;

/** The library's format: base64 with `+/=` written `*-_`, over deflated JSON. */
function decode(sig: string): Record<string, unknown> {
  const b64 = sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
  return JSON.parse(inflateSync(Buffer.from(b64, 'base64')).toString('utf8')) as Record<string, unknown>;
}

/** What TLSSigAPIv2.js `_hmacsha256` signs (no userbuf for a UserSig). */
function expectedHmac(doc: Record<string, unknown>, key: string): string {
  const content =
    `TLS.identifier:${String(doc['TLS.identifier'])}\n` +
    `TLS.sdkappid:${String(doc['TLS.sdkappid'])}\n` +
    `TLS.time:${String(doc['TLS.time'])}\n` +
    `TLS.expire:${String(doc['TLS.expire'])}\n`;
  return createHmac('sha256', key).update(content).digest('base64');
}

// The library reads Date.now() itself for TLS.time; the cache decides renewal by its own clock.
// Tests move both: the clock for the decision, Date for distinct signatures.
const start = Date.UTC(2026, 0, 1);
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function setup(ttlSec?: number) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(start);
  const clock = fixedClock(start);
  const advance = (ms: number) => {
    clock.advance(ms);
    vi.setSystemTime(clock.now());
  };
  const signs = vi.spyOn(Api.prototype, 'genSig');
  const cache = new UserSigCache({ sdkAppId: SDKAPPID, secretKey: KEY, identifier: 'administrator', ttlSec, clock });
  return { cache, advance, signs };
}

describe('UserSigCache', () => {
  it('signs a UserSig that decodes and verifies with the key', () => {
    const { cache } = setup();
    const doc = decode(cache.get());
    expect(doc).toMatchObject({
      'TLS.ver': '2.0',
      'TLS.identifier': 'administrator',
      'TLS.sdkappid': SDKAPPID,
      'TLS.time': start / 1000,
      'TLS.expire': 86_400,
    });
    expect(doc['TLS.sig']).toBe(expectedHmac(doc, KEY));
    expect(doc['TLS.sig']).not.toBe(expectedHmac(doc, KEY.replace('5', '6')));
  });

  it('caches until half the TTL is gone, then renews', () => {
    const { cache, advance, signs } = setup();
    const first = cache.get();
    advance(DAY_MS / 2 - 1);
    expect(cache.get()).toBe(first);
    expect(signs).toHaveBeenCalledTimes(1);
    advance(1);
    const second = cache.get();
    expect(signs).toHaveBeenCalledTimes(2);
    expect(second).not.toBe(first);
    expect(decode(second)['TLS.time']).toBe((start + DAY_MS / 2) / 1000);
    expect(cache.get()).toBe(second);
  });

  it('honours a custom ttlSec', () => {
    const { cache, advance, signs } = setup(600);
    expect(decode(cache.get())['TLS.expire']).toBe(600);
    advance(299_999);
    cache.get();
    advance(1);
    cache.get();
    expect(signs).toHaveBeenCalledTimes(2);
  });

  it('invalidate() makes the next get() sign afresh', () => {
    const { cache, advance, signs } = setup();
    const first = cache.get();
    cache.invalidate();
    advance(1000);
    const second = cache.get();
    expect(signs).toHaveBeenCalledTimes(2);
    expect(second).not.toBe(first);
    expect(cache.get()).toBe(second);
  });

  it('registers the key and each sig with the scrubber, and forgets sigs long expired', () => {
    const { cache, advance } = setup();
    expect(secrets.scrub(`key=${KEY}`)).toBe('key=[REDACTED]');
    const first = cache.get();
    expect(secrets.scrub(`usersig=${first} and ${encodeURIComponent(first)}`)).not.toContain(first);
    advance(DAY_MS / 2);
    const second = cache.get();
    // The replaced one may still be in flight and valid: still scrubbed.
    expect(secrets.scrub(first)).toBe('[REDACTED]');
    expect(secrets.scrub(second)).toBe('[REDACTED]');
    advance(DAY_MS / 2);
    const third = cache.get();
    // `first` expired a day after it was signed: the scrubber no longer carries it.
    expect(secrets.scrub(first)).toBe(first);
    expect(secrets.scrub(second)).toBe('[REDACTED]');
    expect(secrets.scrub(third)).toBe('[REDACTED]');
  });

  it('refuses a bad configuration at start', () => {
    const base = { sdkAppId: SDKAPPID, secretKey: KEY, identifier: 'administrator' };
    expect(() => new UserSigCache({ ...base, secretKey: '' })).toThrow(/secretKey/);
    expect(() => new UserSigCache({ ...base, identifier: '' })).toThrow(/identifier/);
    expect(() => new UserSigCache({ ...base, sdkAppId: 0 })).toThrow(/sdkAppId/);
    expect(() => new UserSigCache({ ...base, ttlSec: 0 })).toThrow(/ttlSec/);
  });
});
