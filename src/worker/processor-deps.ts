import type { Config } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import type { AccountLocks } from '../accounts/account-lock.js';
import type { AccountStates } from '../accounts/account-state.js';
import type { JobStore } from '../queue/job-store.js';
import type { ResultPublisher } from '../queue/result-publisher.js';
import type { JobWaker } from '../queue/job-waker.js';
import type { CallObserver } from './call-observer.js';
import type { WaitLog } from './wait-log.js';

/** What every processor is built from; only the entry points open connections. */
export interface ProcessorDeps {
  config: Config;
  locks: AccountLocks;
  accounts: AccountStates;
  store: JobStore;
  publisher: ResultPublisher;
  waker: JobWaker;
  logger: Logger;
  observer: CallObserver;
  /** Tells each job's waits in its BullMQ log. */
  waits: WaitLog;
  /** True once shutdown began: a job hands itself back between calls. */
  isClosing: () => boolean;
}
