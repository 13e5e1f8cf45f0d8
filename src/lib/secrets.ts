import { stdSerializers } from 'pino';

/** What a secret is replaced with, in logs and failure reasons. */
export const CENSOR = '[REDACTED]';

/**
 * Fields that hold a secret whatever their value (lower case; matched without regard to case):
 * `scrubDeep` censors them at any depth. pino's redact takes the top level only: its wildcard
 * paths (`*.token`) ran a redaction for every field of every line, 8 µs a line where the line
 * itself cost 1.3 (docs/benchmarks.md, nineteenth sitting).
 */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['secretkey', 'token', 'usersig', 'authorization', 'x-gewe-token']);

function isSecretField(key: string): boolean {
  return SECRET_FIELDS.has(key.toLowerCase());
}

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
    return this.pattern ? text.replace(this.pattern, CENSOR) : text;
  }

  /**
   * Scrubs every string inside a plain value, to a limited depth, as a copy in which objects that
   * are not plain become plain ones of their own enumerable fields (an Error of pino's fields: its
   * type, message and stack besides), and a field named as a secret (SECRET_FIELDS) holds CENSOR
   * whatever it held. A value with nothing to scrub, censor or flatten is returned as it is: every
   * log call passes through here, and most carry no secret.
   */
  scrubDeep<T>(value: T, depth = 6): T {
    return this.needsCopy(value, depth) ? this.copyScrubbed(value, depth) : value;
  }

  private copyScrubbed<T>(value: T, depth: number): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (depth <= 0 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.copyScrubbed(v, depth - 1)) as T;
    // An error's message, type and stack are not its own enumerable fields: pino's serializer names them.
    const fields = value instanceof Error ? stdSerializers.err(value) : value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) out[k] = isSecretField(k) ? CENSOR : this.copyScrubbed(v, depth - 1);
    return out as T;
  }

  /** Whether copyScrubbed would give anything but an equal value: a secret, a secret's field, or an object to flatten. */
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
      const field = (value as Record<string, unknown>)[key];
      if (isSecretField(key) ? field !== CENSOR : this.needsCopy(field, depth - 1)) return true;
    }
    return Object.getOwnPropertySymbols(value).length > 0;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The process's scrubber: secrets are process-wide facts, like the environment they come from. */
export const secrets = new SecretScrubber();
