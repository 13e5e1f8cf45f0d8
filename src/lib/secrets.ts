/**
 * Secret values known to this process (the TIM key, UserSigs, the GeWe token, API tokens).
 * Logs and failure reasons pass through `scrub`, so a secret that slips into a message, a URL or
 * a stack trace is replaced before it leaves the process. pino's redact covers the known paths;
 * this covers the rest.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;
  /** The same without the global flag: `test` keeps no position between calls. */
  private test: RegExp | undefined;

  add(secret: string | undefined): void {
    // Short values would match innocent text; none of our secrets are short.
    if (!secret || secret.length < 6 || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    // URL-encoded forms too: a UserSig sits in a query string.
    const forms = new Set([...this.secrets].flatMap((s) => [s, encodeURIComponent(s)]));
    this.pattern = new RegExp([...forms].map(escapeRegExp).join('|'), 'g');
    this.test = new RegExp(this.pattern.source);
  }

  /** Forgets a secret that is no longer in use (an expired UserSig). */
  remove(secret: string): void {
    if (!this.secrets.delete(secret)) return;
    const forms = [...this.secrets].flatMap((s) => [s, encodeURIComponent(s)]);
    this.pattern = forms.length ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : undefined;
    this.test = this.pattern && new RegExp(this.pattern.source);
  }

  scrub(text: string): string {
    return this.pattern ? text.replace(this.pattern, '[REDACTED]') : text;
  }

  /**
   * Scrubs every string inside a plain value, to a limited depth, as a copy in which objects that
   * are not plain (an Error, a class instance) become plain ones of their own enumerable fields.
   * A value with nothing to scrub or flatten is returned as it is: every log call passes through
   * here, and most carry no secret.
   */
  scrubDeep<T>(value: T, depth = 6): T {
    return this.needsCopy(value, depth) ? this.copyScrubbed(value, depth) : value;
  }

  private copyScrubbed<T>(value: T, depth: number): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (depth <= 0 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.copyScrubbed(v, depth - 1)) as T;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.copyScrubbed(v, depth - 1);
    return out as T;
  }

  /** Whether copyScrubbed would give anything but an equal value: a secret, or an object to flatten. */
  private needsCopy(value: unknown, depth: number): boolean {
    if (typeof value === 'string') return this.test?.test(value) === true;
    if (depth <= 0 || value === null || typeof value !== 'object') return false;
    if (Array.isArray(value)) {
      // Holes and extra fields are what map() would not carry over as they are.
      if (Object.getPrototypeOf(value) !== Array.prototype) return true;
      for (let i = 0; i < value.length; i++) if (!(i in value) || this.needsCopy(value[i], depth - 1)) return true;
      return false;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return true;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) return true;
      if (this.needsCopy((value as Record<string, unknown>)[key], depth - 1)) return true;
    }
    return Object.getOwnPropertySymbols(value).length > 0;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The process's scrubber: secrets are process-wide facts, like the environment they come from. */
export const secrets = new SecretScrubber();
