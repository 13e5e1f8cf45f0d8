import type { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Logger } from '../lib/logger.js';
import type { CallbackKeys } from '../callbacks/callback-keys.js';
import { confirmTarget } from '../callbacks/confirm-target.js';
import { WEBHOOK_JOB_OPTIONS, type EventDelivery } from '../webhook/webhook-queue.js';
import type { OutboxEntry } from './event-types.js';

/** Entries read per pass; a full pass is followed by another at once. */
const BATCH = 100;
/** How long an entry that failed to publish waits before it is tried again, ms. */
const RETRY_AFTER_MS = 5000;

export interface EventOutboxDeps {
  redis: RedisClient;
  keys: CallbackKeys;
  /** `friend-add-events`. */
  events: Queue;
  /** `friend-add`: auto-accepts are queued there. */
  input: Queue;
  /** `friend-add-webhook`, when RESULTS_WEBHOOK_URL is set. */
  webhook?: Queue;
  /** REQUEST_TTL_HOURS in ms: how long published events are kept. */
  ttlMs: number;
  logger: Logger;
}

/**
 * Publishes what the callback scripts stored in the outbox: events to `friend-add-events` (and the
 * webhook's queue), auto-accepts to `friend-add`, and re-checks of results recorded after their
 * callback. Every job id is deterministic, so publishing twice (two API processes, or a crash
 * between publishing and removing the entry) adds nothing; an entry leaves the outbox only after
 * it was published. At-least-once from a store that a crash cannot lose.
 */
export class EventOutbox {
  private readonly keepSec: number;

  constructor(private readonly deps: EventOutboxDeps) {
    this.keepSec = Math.ceil(deps.ttlMs / 1000);
  }

  /** One pass over the oldest entries; returns how many were handled. */
  async drainOnce(now = Date.now()): Promise<number> {
    const { redis, keys } = this.deps;
    const members = await redis.zrangebyscore(keys.outbox(), '-inf', String(now), 'LIMIT', 0, BATCH);
    for (const member of members) {
      try {
        await this.publish(member);
      } catch (err) {
        // One entry that cannot be published must not hold up those behind it: it is tried
        // again later (XX: only while it is still there), and the pass goes on.
        this.deps.logger.warn({ err, entry: member.slice(0, 200) }, 'outbox entry not published; trying again later');
        await redis.zadd(keys.outbox(), 'XX', now + RETRY_AFTER_MS, member);
        continue;
      }
      await redis.zrem(keys.outbox(), member);
    }
    return members.length;
  }

  private async publish(member: string): Promise<void> {
    let entry: OutboxEntry;
    try {
      entry = JSON.parse(member) as OutboxEntry;
    } catch {
      this.deps.logger.error({ member: member.slice(0, 200) }, 'unreadable outbox entry dropped');
      return;
    }
    const keep = { removeOnComplete: { age: this.keepSec }, removeOnFail: { age: this.keepSec } };
    switch (entry.k) {
      case 'event': {
        await this.deps.events.add(entry.name, entry.data, { jobId: entry.id, ...keep });
        const delivery: EventDelivery = { kind: 'event', eventId: entry.id, event: entry.data };
        await this.deps.webhook?.add('event', delivery, { ...WEBHOOK_JOB_OPTIONS, jobId: entry.id });
        return;
      }
      case 'accept':
        await this.deps.input.add('gewe', entry.data, { jobId: entry.id });
        return;
      case 'recheck':
        await confirmTarget({ redis: this.deps.redis, keys: this.deps.keys, ttlMs: this.deps.ttlMs }, entry, 'recheck', new Date(), false);
        return;
    }
  }
}
