import { Api } from 'tls-sig-api-v2';
import { systemClock, type Clock } from '../../lib/clock.js';
import { secrets } from '../../lib/secrets.js';

export interface UserSigCacheOptions {
  sdkAppId: number;
  /** The app's key; registered with the secret scrubber, never logged. */
  secretKey: string;
  /** The app administrator the URL names (`identifier`). */
  identifier: string;
  /** How long one UserSig is valid, in seconds. @defaultValue 86400 (one day) */
  ttlSec?: number;
  /** Decides when to renew. @defaultValue systemClock */
  clock?: Clock;
}

const DEFAULT_TTL_SEC = 86_400;

/**
 * The administrator's UserSig, signed once and reused: signing on every call would put an HMAC
 * and a deflate on the hot path between the rate permit and the send.
 *
 * Renewal is decided by `clock`; the signature's own TLS.time comes from the library, which reads
 * Date.now() itself. With the system clock the two agree.
 */
export class UserSigCache {
  private readonly api: Api;
  private readonly identifier: string;
  private readonly ttlMs: number;
  private readonly ttlSec: number;
  private readonly clock: Clock;
  private current: { sig: string; signedAtMs: number; stale: boolean } | undefined;
  /** The sig before `current`: it may still be in flight, and is valid until it expires. */
  private previousSig: string | undefined;

  constructor(opts: UserSigCacheOptions) {
    if (!Number.isSafeInteger(opts.sdkAppId) || opts.sdkAppId <= 0) throw new RangeError('sdkAppId must be a positive integer');
    if (!opts.secretKey) throw new RangeError('secretKey must not be empty');
    if (!opts.identifier) throw new RangeError('identifier must not be empty');
    this.ttlSec = opts.ttlSec ?? DEFAULT_TTL_SEC;
    if (!Number.isSafeInteger(this.ttlSec) || this.ttlSec < 2) throw new RangeError('ttlSec must be an integer of at least 2');
    secrets.add(opts.secretKey);
    this.api = new Api(opts.sdkAppId, opts.secretKey);
    this.identifier = opts.identifier;
    this.ttlMs = this.ttlSec * 1000;
    this.clock = opts.clock ?? systemClock;
  }

  /** A UserSig with at least half its lifetime left. */
  get(): string {
    const now = this.clock.now();
    const c = this.current;
    // Half the TTL leaves a prepared call, and a clock that differs from TIM's, a wide margin.
    if (c && !c.stale && now - c.signedAtMs < this.ttlMs / 2) return c.sig;
    return this.sign(now);
  }

  /** The next get() signs afresh. Used after TIM 70001 (signature expired). */
  invalidate(): void {
    if (this.current) this.current.stale = true;
  }

  private sign(now: number): string {
    const sig = this.api.genSig(this.identifier, this.ttlSec);
    secrets.add(sig);
    const replaced = this.current?.sig;
    if (replaced !== sig) {
      // Keep the last two registered: the one just replaced is still valid for up to half a TTL.
      // The one before it has expired by now (renewals come half a TTL apart, or after 70001 said
      // "expired"), so the scrubber stops carrying it and its pattern does not grow forever.
      if (this.previousSig && this.previousSig !== sig) secrets.remove(this.previousSig);
      this.previousSig = replaced;
    }
    this.current = { sig, signedAtMs: now, stale: false };
    return sig;
  }
}
