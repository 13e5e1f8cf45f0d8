import type { CallVerdict } from '../domain/verdict.js';
import type { ProviderName, ResultBatch } from '../domain/types.js';

/** Sees every call and wait, for metrics. Must never throw. */
export interface CallObserver {
  call(provider: ProviderName, verdict: CallVerdict, latencyMs: number): void;
  waited(provider: ProviderName, reason: string, ms: number): void;
  published(batch: ResultBatch): void;
  /** An unexpected error in a job (a bug, Redis away); `gaveUp` when it ended the job's open targets. */
  internalError(provider: ProviderName, gaveUp: boolean): void;
  /** A job this worker could not serve moved to the hand-off queue of `service` (src/queue/handoff-queues.ts). */
  handedOff(service: string): void;
}

export const noopObserver: CallObserver = { call() {}, waited() {}, published() {}, internalError() {}, handedOff() {} };
