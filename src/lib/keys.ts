import type { ProviderName } from '../domain/types.js';
import { INPUT_QUEUE } from '../queue/names.js';

/**
 * Every key this system writes, under QUEUE_PREFIX (as BullMQ's own keys are), so one Redis can
 * hold several deployments or test runs, and a hash-tag prefix such as `{fa}` keeps everything in
 * one Cluster slot. docs/design.md lists what each key holds.
 */
export class Keys {
  private readonly base: string;

  constructor(readonly prefix: string) {
    this.base = `${prefix}:fa`;
  }

  /** Hash: one input job's progress (finals, attempts, batch sequence, retry time). */
  job(stateId: string): string {
    return `${this.base}:job:${stateId}`;
  }

  /**
   * Hash: result batches recorded but not yet handed to the listeners, by sequence number; an empty
   * entry's text is in `requestResultTexts` under `<stateId>-<seq>` (older entries hold it).
   */
  outbox(stateId: string): string {
    return `${this.base}:job:${stateId}:outbox`;
  }

  /** Hash: a request's totals by outcome, open count, cancelled flag. */
  request(requestId: string): string {
    return `${this.base}:req:${requestId}`;
  }

  /**
   * List: a request's final results one entry each, as workers wrote them before `requestResultBatches`
   * (read first, then the batches; no longer written).
   */
  requestResults(requestId: string): string {
    return `${this.base}:req:${requestId}:results`;
  }

  /**
   * Sorted set: a request's result batches in the order recorded, each by its id `<stateId>-<seq>`
   * (written before `requestResultTexts`: the id, a newline and the batch JSON), scored by the count
   * of results up to and including it (src/queue/request-results.ts).
   */
  requestResultBatches(requestId: string): string {
    return `${this.base}:req:${requestId}:batches`;
  }

  /** Hash: the text (JSON) of each of a request's result batches, by batch id. */
  requestResultTexts(requestId: string): string {
    return `${this.base}:req:${requestId}:batch-texts`;
  }

  /** Hash: a request's jobs: BullMQ job id → that job's state hash key. */
  requestJobs(requestId: string): string {
    return `${this.base}:req:${requestId}:jobs`;
  }

  /** Hash: an account's operating state (paused, resting, strikes, disabled). */
  account(provider: ProviderName, account: string): string {
    return `${this.base}:acct:${provider}:${account}`;
  }

  /**
   * Sorted set: the accounts of one provider in one state (`resting`, `locked`: score the end;
   * `paused`, `parked`, `unregistered`: since when), kept as the state changes, so that listing
   * and counting them never scans the keyspace (src/accounts/account-index.ts).
   */
  accountIndex(provider: ProviderName, state: string): string {
    return `${this.base}:acctidx:${provider}:${state}`;
  }

  /** String: the lease that keeps one account to one call in flight. */
  accountLock(provider: ProviderName, account: string): string {
    return `${this.base}:lock:${provider}:${account}`;
  }

  /** Hash: the TIM rate gate of one SDKAppID (its penalty after 60007). */
  timGate(sdkAppId: number | string): string {
    return `${this.base}:gate:tim:${sdkAppId}`;
  }

  /** Sorted set: the TIM rate gate's latest slots (score: Redis ms when each was sent), one SDKAppID. */
  timGateLog(sdkAppId: number | string): string {
    return `${this.base}:gate:tim:${sdkAppId}:slots`;
  }

  /** Hash: GeWe accounts' onlineSince (ms), by appId. */
  geweAccounts(): string {
    return `${this.base}:gewe:accounts`;
  }

  /** Set: GeWe appIds that received jobs without being registered. */
  geweUnregistered(): string {
    return `${this.base}:gewe:unregistered`;
  }

  /** Hash: one GeWe account's pacing (next free slot, last send, reservations by job). */
  gewePace(appId: string): string {
    return `${this.base}:pace:gewe:${appId}`;
  }

  /** Hash: one GeWe account's call counts for one local day, by kind (add, accept). */
  geweDay(appId: string, day: string): string {
    return `${this.base}:pace:gewe:${appId}:day:${day}`;
  }

  /**
   * Pub/sub channel, not a key: an account's lease key is published on it when the lease is let
   * go while someone waits (lock-release.lua, src/accounts/lock-releases.ts).
   */
  lockReleases(): string {
    return `${this.base}:lock-released`;
  }

  /** Hash: service (`tim`, `tim:<sdkAppId>`, `gewe`) → when a worker last said it serves it (ms). */
  servedBy(): string {
    return `${this.base}:fleet:served`;
  }

  /** Hash: credentials suspended after a configuration error (`<provider>:<fingerprint>` → JSON). */
  suspensions(): string {
    return `${this.base}:fleet:suspended`;
  }

  /**
   * BullMQ's lock of an input job (`<prefix>:friend-add:<id>:lock`, or in the hand-off queue it
   * was moved to): its value is the holder's token.
   */
  inputJobLock(jobId: string, queue: string = INPUT_QUEUE): string {
    return `${this.prefix}:${queue}:${jobId}:lock`;
  }

  /** Pattern matching every key of this deployment, ours and BullMQ's. */
  everything(): string {
    return `${this.prefix}:*`;
  }
}
