import type { Clock } from '../../lib/clock.js';
import type { GeweProvider } from '../../providers/gewe/client.js';
import type { GewePacer } from '../../pacing/gewe-pacer.js';
import type { GeweRegistry } from '../../accounts/gewe-registry.js';
import type { ProcessorDeps } from '../processor-deps.js';
import type { CredentialGuard } from '../../fleet/credential-guard.js';

/** The GeWe processor's parts: the shared ones, the provider, the pacer and the registry. */
export interface GeweProcessorDeps extends ProcessorDeps {
  /** Absent when GEWE_TOKEN is unset: every gewe job is then refused. */
  provider?: GeweProvider;
  /** The GeWe token's suspension state, shared by every worker; absent when GeWe is not configured. */
  credential?: CredentialGuard;
  pacer: GewePacer;
  registry: GeweRegistry;
  clock: Clock;
}
