import type { TimProvider } from '../../providers/tim/client.js';
import type { UserSigCache } from '../../providers/tim/usersig.js';
import type { TimRateGate } from '../../limiter/tim-rate-gate.js';
import type { ProcessorDeps } from '../processor-deps.js';
import type { Admission } from '../admission.js';
import type { CredentialGuard } from '../../fleet/credential-guard.js';

/** The TIM processor's parts: the shared ones, the provider and the rate gate. */
export interface TimProcessorDeps extends ProcessorDeps {
  /** Absent when TIM_SDKAPPID or TIM_SECRET_KEY is unset: every tim job is then refused. */
  provider?: TimProvider;
  userSig?: UserSigCache;
  /** The TIM credential's suspension state, shared by every worker; absent when TIM is not configured. */
  credential?: CredentialGuard;
  gate: TimRateGate;
  /** How many jobs of this process may prepare a call at once (admission.ts). */
  admission: Admission;
}
