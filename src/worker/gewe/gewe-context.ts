import type { Job } from 'bullmq';
import type { Clock } from '../../lib/clock.js';
import type { DelayStep } from '../../queue/delaying-worker.js';
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
  /**
   * BullMQ's moveToDelayed arguments for a job of the worker that runs it (DelayingWorker.delayStep),
   * so that a pass whose slot is ahead moves its job in its first step; absent, it moves it after.
   */
  delaySteps?: (job: Job, token: string) => DelayStep | undefined;
}
