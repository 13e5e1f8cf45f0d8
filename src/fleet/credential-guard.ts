import type { ProviderName } from '../domain/types.js';
import type { Logger } from '../lib/logger.js';
import type { Clock } from '../lib/clock.js';
import { SECOND } from '../lib/time.js';
import type { CredentialSuspensions } from './credential-suspensions.js';

/**
 * How long a process trusts a "not suspended" answer before it asks Redis again. A call made in
 * that second with a credential another worker just suspended only meets the same configuration
 * error: it uses no attempt and gives no target a result.
 */
const CLEAR_FOR_MS = SECOND;

/**
 * One process's view of one credential (TIM's key and identifier, GeWe's token). A configuration
 * error suspends it for every worker; while suspended, jobs wait as delayed jobs, and one call at
 * most every PROVIDER_RECHECK_MS probes it. The first good answer lifts the suspension.
 */
export class CredentialGuard {
  private clearUntil = 0;
  /** Set while this process may have seen the credential suspended: its next good answer lifts it. */
  private mayBeSuspended = false;

  constructor(
    private readonly suspensions: CredentialSuspensions,
    readonly provider: ProviderName,
    readonly fingerprint: string,
    private readonly recheckMs: number,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  /** This process may have seen the credential suspended (its jobs wait); cleared by its next good answer. */
  get suspected(): boolean {
    return this.mayBeSuspended;
  }

  /**
   * Before a call: undefined when it may go (not suspended, or this call is the probe), else until
   * when to wait and why.
   */
  async beforeCall(): Promise<{ untilMs: number; reason: string } | undefined> {
    const now = this.clock.now();
    if (now < this.clearUntil) return undefined;
    const answer = await this.suspensions.check(this.provider, this.fingerprint, now, this.recheckMs);
    if (answer.kind === 'go') {
      this.clearUntil = now + CLEAR_FOR_MS;
      return undefined;
    }
    this.mayBeSuspended = true;
    if (answer.kind === 'probe') {
      this.logger.info({ provider: this.provider, credential: this.fingerprint }, 'probing a suspended credential with one call');
      return undefined;
    }
    return { untilMs: answer.probeAt, reason: `${this.provider} credential suspended after a configuration error (${answer.code}: ${answer.info})` };
  }

  /** After a call's answer: suspend on a configuration error, lift on a good answer. */
  async afterAnswer(configError: { code: number | string; info: string } | undefined): Promise<void> {
    if (configError) return this.suspend(configError.code, configError.info);
    if (!this.mayBeSuspended) return;
    this.mayBeSuspended = false;
    if (await this.suspensions.lift(this.provider, this.fingerprint)) {
      this.logger.warn({ provider: this.provider, credential: this.fingerprint }, 'credential works again: suspension lifted for every worker');
    }
  }

  /** Suspends the credential for every worker; the error is logged once per suspension. */
  async suspend(code: number | string, info: string): Promise<void> {
    this.clearUntil = 0;
    this.mayBeSuspended = true;
    const now = this.clock.now();
    const began = await this.suspensions.suspend(this.provider, this.fingerprint, code, info, now, this.recheckMs);
    if (began) {
      this.logger.error(
        { provider: this.provider, credential: this.fingerprint, code, info, recheckMs: this.recheckMs },
        'configuration error: credential suspended for every worker; jobs wait, no target is ended; fix the configuration',
      );
    }
  }
}
