import type { Config } from '../../config/config.js';
import type { Logger } from '../../lib/logger.js';
import type { Clock } from '../../lib/clock.js';
import type { GeweProvider } from '../../providers/gewe/client.js';
import type { GewePacer } from '../../pacing/gewe-pacer.js';
import type { GeweRegistry } from '../../accounts/gewe-registry.js';
import type { AccountLocks } from '../../accounts/account-lock.js';
import type { AccountStates } from '../../accounts/account-state.js';
import type { JobStore } from '../../queue/job-store.js';
import type { ResultPublisher } from '../../queue/result-publisher.js';
import type { JobWaker } from '../../queue/job-waker.js';
import type { CallObserver } from '../call-observer.js';

/** What the GeWe processor is built from; only the entry points open connections. */
export interface GeweProcessorDeps {
  config: Config;
  /** Absent when GEWE_TOKEN is unset: every gewe job is then refused. */
  provider?: GeweProvider;
  pacer: GewePacer;
  registry: GeweRegistry;
  locks: AccountLocks;
  accounts: AccountStates;
  store: JobStore;
  publisher: ResultPublisher;
  waker: JobWaker;
  logger: Logger;
  observer: CallObserver;
  clock: Clock;
  isClosing: () => boolean;
}
