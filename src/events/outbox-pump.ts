import type { Logger } from '../lib/logger.js';
import type { EventOutbox } from './event-outbox.js';
import { withDeadline } from '../metrics/with-deadline.js';

/** How long closing waits for a pass in progress, ms. */
const CLOSE_WAIT_MS = 2000;

/** How often an idle pump looks at the outbox, ms; a callback in this process kicks it at once. */
export const PUMP_INTERVAL_MS = 200;

export interface OutboxPump {
  /** Drain now (after a callback stored something), without waiting for the next tick. */
  kick(): void;
  /** Stops after the pass in progress. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Runs `outbox.drainOnce` in a loop: at once while there is more, every PUMP_INTERVAL_MS when
 * idle, and at once when kicked. A failed pass (Redis away) is logged and tried again later.
 */
export function startOutboxPump(outbox: EventOutbox, logger: Logger, intervalMs = PUMP_INTERVAL_MS): OutboxPump {
  let stopped = false;
  let kicked = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const loop = (async () => {
    while (!stopped) {
      let handled = 0;
      try {
        handled = await outbox.drainOnce();
      } catch (err) {
        logger.warn({ err }, 'event outbox pass failed; trying again');
      }
      // A kick during the pass means new entries may have come after its read.
      if (handled > 0 || kicked || stopped) {
        kicked = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, intervalMs);
      });
      wake = undefined;
    }
  })();
  return {
    kick: () => {
      kicked = true;
      wake?.();
    },
    close: async () => {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      // A pass waiting on a Redis that does not answer (its commands queue) must not hold a
      // shutdown: what it did not finish stays in the outbox for the next process.
      await withDeadline(loop, CLOSE_WAIT_MS);
    },
  };
}
