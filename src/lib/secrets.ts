/**
 * Secret values known to this process (the TIM key, UserSigs, the GeWe token, API tokens).
 * Logs and failure reasons pass through `scrub`, so a secret that slips into a message, a URL or
 * a stack trace is replaced before it leaves the process. pino's redact covers the known paths;
 * this covers the rest.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  add(secret: string | undefined): void {
    // Short values would match innocent text; none of our secrets are short.
    if (!secret || secret.length < 6 || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    // URL-encoded forms too: a UserSig sits in a query string.
    const forms = new Set([...this.secrets].flatMap((s) => [s, encodeURIComponent(s)]));
    this.pattern = new RegExp([...forms].map(escapeRegExp).join('|'), 'g');
  }

  /** Forgets a secret that is no longer in use (an expired UserSig). */
  remove(secret: string): void {
    if (!this.secrets.delete(secret)) return;
    const forms = [...this.secrets].flatMap((s) => [s, encodeURIComponent(s)]);
    this.pattern = forms.length ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  scrub(text: string): string {
    return this.pattern ? text.replace(this.pattern, '[REDACTED]') : text;
  }

  /** Scrubs every string inside a plain value, to a limited depth. */
  scrubDeep<T>(value: T, depth = 6): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (depth <= 0 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.scrubDeep(v, depth - 1)) as T;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.scrubDeep(v, depth - 1);
    return out as T;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The process's scrubber: secrets are process-wide facts, like the environment they come from. */
export const secrets = new SecretScrubber();
