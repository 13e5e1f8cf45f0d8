import { Queue } from 'bullmq';
import type { Config } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import type { RedisClient } from '../lib/redis-client.js';
import { CallbackKeys } from '../callbacks/callback-keys.js';
import { EVENTS_QUEUE } from '../queue/names.js';
import { WEBHOOK_QUEUE } from '../webhook/webhook-queue.js';
import { EventOutbox } from './event-outbox.js';
import { startOutboxPump, type OutboxPump } from './outbox-pump.js';
import { withDeadline } from '../metrics/with-deadline.js';

const CLOSE_WAIT_MS = 2000;

export interface EventLoop {
  pump: OutboxPump;
  events: Queue;
  close(): Promise<void>;
}

/**
 * The publishing half of the callback loop, run by every API process: the `friend-add-events`
 * queue, the webhook's queue when RESULTS_WEBHOOK_URL is set, and the pump that moves the outbox
 * there. `input` is the caller's handle on `friend-add` (auto-accepts go there).
 */
export function startEventLoop(deps: { config: Config; redis: RedisClient; logger: Logger; input: Queue }): EventLoop {
  const { config, redis } = deps;
  const logger = deps.logger.child({ component: 'event-outbox' });
  const events = new Queue(EVENTS_QUEUE, { connection: redis, prefix: config.queuePrefix });
  events.on('error', (err) => logger.error({ err }, 'events queue error'));
  const webhook = config.webhook ? new Queue(WEBHOOK_QUEUE, { connection: redis, prefix: config.queuePrefix }) : undefined;
  webhook?.on('error', (err) => logger.error({ err }, 'webhook queue error'));
  const outbox = new EventOutbox({ redis, keys: new CallbackKeys(config.queuePrefix), events, input: deps.input, webhook, ttlMs: config.requestTtlMs, logger });
  const pump = startOutboxPump(outbox, logger);
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await pump.close();
      // Closing a queue waits for its connection to be ready: not forever on a Redis that is away.
      await withDeadline(Promise.all([events.close(), webhook?.close()]), CLOSE_WAIT_MS);
    })());
  return { pump, events, close };
}
