import type { ProviderName } from '../domain/types.js';

/**
 * The keys of the callback loop, under `<QUEUE_PREFIX>:fa:cb:` (docs/callbacks.md lists what each
 * holds). Names that embed an account and a target carry the account's length first, so that
 * `a:b` + `c` and `a` + `b:c` never share a key. This file imports nothing but types, so the
 * result recorder (src/queue) can name the index without depending on the callback handlers.
 */
export class CallbackKeys {
  /** `<prefix>:fa`: the base the Lua scripts build request keys from (`<base>:req:<id>`). */
  readonly base: string;
  private readonly cb: string;

  constructor(readonly prefix: string) {
    this.base = `${prefix}:fa`;
    this.cb = `${this.base}:cb`;
  }

  /**
   * Hash, one per (provider, account, target): `r:<requestId>` a confirmable result, `c:<requestId>`
   * when its `confirmed` event was made, `seen` the callback that said they are friends.
   */
  pending(provider: ProviderName, account: string, target: string): string {
    return `${this.pendingStem(provider, account)}${target}`;
  }

  /** The pending key without its target: the result recorder appends each target in Lua. */
  pendingStem(provider: ProviderName, account: string): string {
    return `${this.cb}:pend:${provider}:${account.length}:${account}:`;
  }

  /** Sorted set: what callbacks and results produced and still has to be published (by time). */
  outbox(): string {
    return `${this.cb}:outbox`;
  }

  /** List: every event of one request, in order (for `friend-add events --request`). */
  requestEvents(requestId: string): string {
    return `${this.cb}:req:${requestId}:events`;
  }

  /** List: the latest events of every kind, capped (for `friend-add events --follow`). */
  recentEvents(): string {
    return `${this.cb}:events`;
  }

  /** String: one GeWe message (Appid + NewMsgId) already handled. */
  geweMessage(appId: string, newMsgId: string): string {
    return `${this.cb}:gewe:msg:${appId.length}:${appId}:${newMsgId}`;
  }

  /** Hash: one GeWe account's incoming friend requests, by v3. */
  geweIncoming(appId: string): string {
    return `${this.cb}:gewe:in:${appId}`;
  }

  /** Sorted set: the account's incoming requests not yet accepted or rejected, v3 by arrival. */
  geweIncomingOpen(appId: string): string {
    return `${this.cb}:gewe:in:${appId}:open`;
  }

  /** Sorted set: every incoming request kept, v3 by arrival, so old ones are pruned a few at a time. */
  geweIncomingAll(appId: string): string {
    return `${this.cb}:gewe:in:${appId}:all`;
  }

  /** Hash: auto-accept policy by appId; an account not in it follows GEWE_AUTO_ACCEPT. */
  geweAutoAccept(): string {
    return `${this.cb}:gewe:autoaccept`;
  }

  /** List: the latest callback messages nobody understood, kept a day for diagnosis. */
  unknownMessages(): string {
    return `${this.cb}:unknown`;
  }
}
