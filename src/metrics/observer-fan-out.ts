import { noopObserver, type CallObserver } from '../worker/call-observer.js';

/** One observer that tells several: metrics, and whatever a caller (a test, the bench) passed. */
export function fanOutObserver(...observers: readonly CallObserver[]): CallObserver {
  const live = observers.filter((o) => o !== noopObserver);
  if (live.length === 1) return live[0]!;
  // Each is called on its own: one that throws must not keep the others from seeing the event.
  const each = (fn: (o: CallObserver) => void) => {
    for (const o of live) {
      try {
        fn(o);
      } catch {
        /* observers are best effort */
      }
    }
  };
  return {
    call: (provider, verdict, latencyMs) => each((o) => o.call(provider, verdict, latencyMs)),
    waited: (provider, reason, ms) => each((o) => o.waited(provider, reason, ms)),
    published: (batch) => each((o) => o.published(batch)),
    internalError: (provider, gaveUp) => each((o) => o.internalError(provider, gaveUp)),
    handedOff: (service) => each((o) => o.handedOff(service)),
  };
}
