import { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import { InvalidInputError } from '../domain/errors.js';
import type { ProviderName } from '../domain/types.js';
import { Keys } from '../lib/keys.js';
import { INPUT_QUEUE } from '../queue/names.js';
import { JobWaker } from '../queue/job-waker.js';
import { HandoffQueues } from '../queue/handoff-queues.js';
import { AccountStates } from '../accounts/account-state.js';
import { GeweRegistry } from '../accounts/gewe-registry.js';
import { resumeAccount } from '../accounts/resume-account.js';
import type { TimJob } from '../providers/tim/schema.js';
import { cancelRequest, type CancelResult } from './cancel-request.js';
import { resolveClientOptions, type FriendAddClientOptions, type ResolvedClientOptions } from './client-options.js';
import { prepareGewe, type GeweSubmit } from './prepare-gewe.js';
import { prepareTim } from './prepare-tim.js';
import { readRequest, type RequestPage, type RequestStatus } from './read-request.js';
import { RequestMarker } from './request-marker.js';
import { retryFailed, type RetryResult } from './retry-failed.js';
import { submitRequest, type SubmitOptions, type SubmitResult, type SubmitTuning } from './submit-request.js';
import { markAnsweredJobs } from '../callbacks/incoming-requests.js';

/** A TIM request: a `tim` job's data with any number of targets. */
export type TimRequest = TimJob;

/**
 * The typed library over `friend-add`: submit requests (validated, idempotent by requestId), read
 * their status, cancel or re-drive them, and operate accounts. Every method works on Redis only:
 * the workers do the calls.
 */
export class FriendAddClient {
  readonly input: Queue;
  private readonly redis: RedisClient;
  private readonly keys: Keys;
  private readonly options: ResolvedClientOptions;
  private readonly marker: RequestMarker;
  private readonly accounts: AccountStates;
  private readonly registry: GeweRegistry;
  private readonly waker: JobWaker;
  private readonly handoffs: HandoffQueues;

  constructor(options: FriendAddClientOptions) {
    this.options = resolveClientOptions(options);
    this.redis = this.options.connection;
    this.keys = new Keys(this.options.prefix);
    this.input = new Queue(INPUT_QUEUE, { connection: this.redis, prefix: this.options.prefix });
    // An unhandled 'error' event would crash the host process; ioredis reconnects by itself.
    this.input.on('error', (err) => this.options.logger?.error({ err }, 'friend-add queue error'));
    this.marker = new RequestMarker(this.redis, this.keys, this.options.requestTtlMs);
    this.accounts = new AccountStates(this.redis, this.keys);
    this.registry = new GeweRegistry(this.redis, this.keys, this.options.geweNewAccountMs);
    // Cancel and resume wake jobs; one moved to its service's hand-off queue is woken there.
    this.handoffs = new HandoffQueues(this.redis, this.options.prefix, (err, queue) => this.options.logger?.error({ err, queue }, 'friend-add queue error'));
    this.waker = new JobWaker(this.input, this.handoffs);
  }

  /** Validates, de-duplicates and cuts a TIM request into jobs of ≤1000 targets. Throws InvalidInputError. */
  async submitTim(request: TimRequest, options: SubmitOptions = {}, tuning?: SubmitTuning): Promise<SubmitResult> {
    this.assertServed('tim');
    const prepared = prepareTim(request, { sdkAppId: this.options.timSdkAppId });
    return submitRequest(this.deps(), prepared, options, tuning);
  }

  /** One GeWe item, a list, or `{ requestId?, items }`: one job per item. Throws InvalidInputError. */
  async submitGewe(input: GeweSubmit, options: SubmitOptions = {}, tuning?: SubmitTuning): Promise<SubmitResult> {
    this.assertServed('gewe');
    const prepared = prepareGewe(input);
    const submitted = await submitRequest(this.deps(), prepared, options, tuning);
    // An accept or reject answers an incoming friend request: it leaves the open list.
    await markAnsweredJobs(this.redis, this.options.prefix, prepared.jobs);
    return submitted;
  }

  /** A request for a provider the deployment does not serve would only be refused `provider_disabled`. */
  private assertServed(provider: ProviderName): void {
    if (this.options.providers.includes(provider)) return;
    const served = this.options.providers.join(',');
    throw new InvalidInputError(`provider ${provider} is not enabled in this deployment (PROVIDERS=${served})`, 'provider');
  }

  /** The request's status and a page of its results; null when unknown (or expired). */
  getRequest(requestId: string, page?: RequestPage): Promise<RequestStatus | null> {
    return readRequest({ redis: this.redis, keys: this.keys, input: this.input }, requestId, page);
  }

  /** Targets not yet called end `cancelled`. Throws UnknownRequestError. */
  cancelRequest(requestId: string): Promise<CancelResult> {
    return cancelRequest({ redis: this.redis, keys: this.keys, waker: this.waker }, requestId);
  }

  /** A new request `<requestId>-retry-<n>` with the failed targets; requestId null when none failed. */
  retryFailed(requestId: string): Promise<RetryResult> {
    return retryFailed({ ...this.deps(), redis: this.redis, keys: this.keys }, requestId);
  }

  /** The account's jobs wait delayed, holding no worker slot, until it is resumed. */
  async pauseAccount(provider: ProviderName, account: string): Promise<void> {
    checkAccount(provider, account);
    await this.accounts.pause(provider, account);
  }

  /** Clears pause, GeWe parking and strikes, and wakes the jobs that waited for it. */
  async resumeAccount(provider: ProviderName, account: string): Promise<void> {
    checkAccount(provider, account);
    await resumeAccount(this.accounts, this.waker, provider, account);
  }

  /** When a GeWe account came online: younger than GEWE_NEW_ACCOUNT_HOURS, or unknown, is paced as new. */
  async setGeweAccount(appId: string, onlineSince: Date): Promise<void> {
    if (typeof appId !== 'string' || appId === '') throw new InvalidInputError('appId must be a non-empty string', 'appId');
    if (!(onlineSince instanceof Date) || Number.isNaN(onlineSince.getTime())) {
      throw new InvalidInputError('onlineSince must be a valid time', 'onlineSince');
    }
    await this.registry.setOnlineSince(appId, onlineSince);
  }

  /** GeWe appIds that got jobs without being registered: they are paced as new. */
  listUnregisteredGeweAccounts(): Promise<string[]> {
    return this.registry.listUnregistered();
  }

  /** Closes the client's queue handles; the connection stays the caller's. */
  async close(): Promise<void> {
    await Promise.all([this.input.close(), this.handoffs.close()]);
  }

  private deps() {
    return { input: this.input, marker: this.marker };
  }
}

export function createFriendAddClient(options: FriendAddClientOptions): FriendAddClient {
  return new FriendAddClient(options);
}

function checkAccount(provider: string, account: string): void {
  if (provider !== 'tim' && provider !== 'gewe') throw new InvalidInputError(`unknown provider ${provider}: tim or gewe`, 'provider');
  if (typeof account !== 'string' || account === '') throw new InvalidInputError('account must be a non-empty string', 'account');
}
