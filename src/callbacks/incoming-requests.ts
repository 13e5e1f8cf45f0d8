import { createHash } from 'node:crypto';
import type { RedisClient } from '../lib/redis-client.js';
import { scriptBeside } from '../lib/lua-script.js';
import { RECENT_EVENTS_MAX, type IncomingRequestEvent } from '../events/event-types.js';
import { CallbackKeys } from './callback-keys.js';

const storeIncomingScript = scriptBeside(import.meta.url, 'store-incoming.lua');

/**
 * One incoming GeWe friend request as stored and listed: the fields of its `incoming_request`
 * event (src/events/event-types.ts), under the account's appId.
 */
export type IncomingRequest = Omit<IncomingRequestEvent, 'event' | 'eventId' | 'provider' | 'account'> & { appId: string };

export interface IncomingDeps {
  redis: RedisClient;
  keys: CallbackKeys;
  ttlMs: number;
}

/** Ids made from the account and the v3: the same request always gets the same ones. */
export function incomingIds(appId: string, v3: string): { eventId: string; acceptRequestId: string } {
  const hash = createHash('sha1').update(`${appId}\n${v3}`).digest('hex');
  return { eventId: `incoming-${hash}`, acceptRequestId: `auto-accept-${hash.slice(0, 24)}` };
}

/**
 * Stores a request (store-incoming.lua): once per v3, with its event and, when `accept`, its
 * option-3 job. Returns false for a repeat.
 */
export async function storeIncoming(deps: IncomingDeps, request: Omit<IncomingRequest, 'acceptRequestId'>, at: Date): Promise<boolean> {
  const { keys, redis } = deps;
  const ids = incomingIds(request.appId, request.v3);
  const record: IncomingRequest = { ...request, ...(request.autoAccept ? { acceptRequestId: ids.acceptRequestId } : {}) };
  const event: IncomingRequestEvent = {
    event: 'incoming_request',
    eventId: ids.eventId,
    provider: 'gewe',
    account: request.appId,
    v3: request.v3,
    v4: request.v4,
    scene: request.scene,
    greeting: request.greeting,
    ...(request.fromUserName ? { fromUserName: request.fromUserName } : {}),
    ...(request.nickname ? { nickname: request.nickname } : {}),
    receivedAt: request.receivedAt,
    autoAccept: request.autoAccept,
    ...(record.acceptRequestId ? { acceptRequestId: record.acceptRequestId } : {}),
  };
  const accept = request.autoAccept
    ? {
        id: ids.acceptRequestId,
        data: { requestId: ids.acceptRequestId, appId: request.appId, scene: request.scene, option: 3, v3: request.v3, v4: request.v4, content: '' },
      }
    : false;
  const arg = { v3: request.v3, record: JSON.stringify(record), event, accept, atMs: at.getTime(), ttlMs: deps.ttlMs, recentMax: RECENT_EVENTS_MAX };
  const { appId } = request;
  const keyList = [keys.geweIncoming(appId), keys.geweIncomingOpen(appId), keys.geweIncomingAll(appId), keys.outbox(), keys.recentEvents()];
  return Number(await storeIncomingScript.run(redis, keyList, [JSON.stringify(arg)])) === 1;
}

/** The account's requests not yet accepted or rejected, oldest first (at most `limit`). */
export async function listOpenIncoming(deps: Pick<IncomingDeps, 'redis' | 'keys'>, appId: string, limit = 1000): Promise<IncomingRequest[]> {
  const { redis, keys } = deps;
  const v3s = await redis.zrange(keys.geweIncomingOpen(appId), '0', String(limit - 1));
  if (v3s.length === 0) return [];
  const records = await redis.hmget(keys.geweIncoming(appId), ...v3s);
  return records.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as IncomingRequest);
}

/** An accept or reject (option 3/4) was submitted for these v3s: they are open no longer. */
export async function markIncomingHandled(deps: Pick<IncomingDeps, 'redis' | 'keys'>, appId: string, v3s: readonly string[]): Promise<void> {
  if (v3s.length === 0) return;
  await deps.redis.zrem(deps.keys.geweIncomingOpen(appId), ...v3s);
}

/**
 * After a submit (library, API or CLI): the accepts and rejects (options 3, 4) it carried close
 * their incoming requests, so the list shows only those still waiting for an answer.
 */
export async function markAnsweredJobs(redis: RedisClient, prefix: string, jobs: readonly { appId: string; option: number; v3: string }[]): Promise<void> {
  const byAccount = new Map<string, string[]>();
  for (const job of jobs) {
    if (job.option !== 3 && job.option !== 4) continue;
    byAccount.set(job.appId, [...(byAccount.get(job.appId) ?? []), job.v3]);
  }
  const keys = new CallbackKeys(prefix);
  for (const [appId, v3s] of byAccount) await markIncomingHandled({ redis, keys }, appId, v3s);
}
