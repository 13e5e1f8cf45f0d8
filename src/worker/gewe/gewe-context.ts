import type { Clock } from '../../lib/clock.js';
import type { GeweProvider } from '../../providers/gewe/client.js';
import type { GewePacer } from '../../pacing/gewe-pacer.js';
import type { GeweRegistry } from '../../accounts/gewe-registry.js';
import type { ProcessorDeps } from '../processor-deps.js';

/** The GeWe processor's parts: the shared ones, the provider, the pacer and the registry. */
export interface GeweProcessorDeps extends ProcessorDeps {
  /** Absent when GEWE_TOKEN is unset: every gewe job is then refused. */
  provider?: GeweProvider;
  pacer: GewePacer;
  registry: GeweRegistry;
  clock: Clock;
}
