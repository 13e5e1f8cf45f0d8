import type { ProviderName, ResultCode } from '../domain/types.js';

/**
 * What happens after a result, learned from a provider's callback. Each is one job on
 * `friend-add-events` (job name = the event's kind, job id = `eventId`), and one webhook delivery.
 */
export type FriendAddEvent = ConfirmedEvent | IncomingRequestEvent;

/** A `requested` (or `unconfirmed`) target is a friend now. One per (request, target). */
export interface ConfirmedEvent {
  event: 'confirmed';
  /** Deterministic: `confirmed-<sha1 of provider, account, target, requestId>`. */
  eventId: string;
  requestId: string;
  provider: ProviderName;
  /** TIM From_Account or GeWe appId. */
  account: string;
  /** TIM To_Account or GeWe v3. */
  target: string;
  /** When the provider's callback said so (ISO 8601). */
  confirmedAt: string;
  /** The result it confirms: `requested`, or `failed` with code `unconfirmed`. */
  outcome: string;
  code: ResultCode;
  /** Which callback: `tim:Sns.CallbackFriendAdd`, `gewe:ModContacts`, `gewe:AddMsg`... */
  via: string;
}

/** Someone asked a GeWe account to be friends. One per (account, v3). */
export interface IncomingRequestEvent {
  event: 'incoming_request';
  /** Deterministic: `incoming-<sha1 of appId, v3>`. */
  eventId: string;
  provider: 'gewe';
  account: string;
  v3: string;
  v4: string;
  scene: number;
  greeting: string;
  /** The requester's wxid and nickname, when the message named them. */
  fromUserName?: string;
  nickname?: string;
  receivedAt: string;
  /** The account's policy accepted it: an option-3 job was queued as `acceptRequestId`. */
  autoAccept: boolean;
  acceptRequestId?: string;
}

/** An outbox entry (src/callbacks/callback-keys.ts `outbox`), as the Lua scripts write it. */
export type OutboxEntry =
  | { k: 'event'; name: FriendAddEvent['event']; id: string; data: FriendAddEvent }
  | { k: 'accept'; id: string; data: Record<string, unknown> }
  | { k: 'recheck'; provider: ProviderName; account: string; target: string };

/** How many events `recentEvents` keeps. */
export const RECENT_EVENTS_MAX = 10_000;
