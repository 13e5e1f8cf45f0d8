import type { CallVerdict } from '../domain/verdict.js';
import type { ProviderName, ResultBatch } from '../domain/types.js';

/** Sees every call and wait, for metrics. Must never throw. */
export interface CallObserver {
  call(provider: ProviderName, verdict: CallVerdict, latencyMs: number): void;
  waited(provider: ProviderName, reason: string, ms: number): void;
  published(batch: ResultBatch): void;
}

export const noopObserver: CallObserver = { call() {}, waited() {}, published() {} };
