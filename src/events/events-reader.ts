import type { RedisClient } from '../lib/redis-client.js';
import { CallbackKeys } from '../callbacks/callback-keys.js';
import type { FriendAddEvent } from './event-types.js';

/** How many of the latest events a follower looks at per poll. */
const TAIL = 500;

/**
 * Reads events as the callback scripts keep them in Redis: a request's own list (every event of
 * it, in order), or the capped list of the latest events of every kind.
 */
export class EventsReader {
  private readonly keys: CallbackKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = new CallbackKeys(prefix);
  }

  /** The request's events from index `from` on. */
  async ofRequest(requestId: string, from = 0): Promise<FriendAddEvent[]> {
    const list = await this.redis.lrange(this.keys.requestEvents(requestId), from, -1);
    return list.map((json) => JSON.parse(json) as FriendAddEvent);
  }

  /** The latest `count` events of every kind, oldest first. */
  async recent(count = TAIL): Promise<FriendAddEvent[]> {
    const list = await this.redis.lrange(this.keys.recentEvents(), -count, -1);
    return list.map((json) => JSON.parse(json) as FriendAddEvent);
  }
}

/** One line for a person: when, what, who. */
export function formatEvent(event: FriendAddEvent): string {
  if (event.event === 'confirmed') {
    return `${event.confirmedAt}  confirmed         ${event.provider} ${event.account} → ${event.target}  (request ${event.requestId}, was ${event.outcome} ${event.code})`;
  }
  const accepted = event.autoAccept ? `auto-accepted as ${event.acceptRequestId}` : 'waiting for an answer';
  return `${event.receivedAt}  incoming_request  gewe ${event.account} ← ${event.v3}  "${event.greeting}" scene ${event.scene}, ${accepted}`;
}
