import type { AxiosInstance } from 'axios';
import { InvalidInputError, type TransportError } from '../../domain/errors.js';
import { postJson, type HttpAnswer } from '../../http/post-json.js';
import type { PreparedCall, Provider } from '../provider.js';
import { classifyTimAnswer } from './classify.js';
import type { TimJob, TimTarget } from './schema.js';
import type { UserSigCache } from './usersig.js';

/** TIM takes at most this many AddFriendItem entries in one call (30503 beyond). */
export const TIM_MAX_TARGETS_PER_CALL = 1000;

/** A friend_add call, serialised before the rate permit is taken. */
export interface TimPreparedCall extends PreparedCall {
  /** Carries the UserSig: never log it, never put it in an error. */
  readonly url: string;
  readonly body: string;
  readonly fromAccount: string;
}

export interface TimProvider extends Provider<TimPreparedCall> {
  /** Signs (from the cache) and serialises one call. Targets must be deduplicated already. */
  prepare(job: TimJob, targets: readonly TimTarget[]): TimPreparedCall;
  /**
   * Opens a keep-alive connection to TIM's origin with a POST of `{}` to `/` (not an API, so not
   * counted against the limit), so that the first call pays neither for the connection nor for
   * cold code between its permit and its arrival. Never throws.
   */
  warmUp(): Promise<void>;
}

export interface TimProviderDeps {
  /** TIM REST origin, without a trailing slash, e.g. `https://console.tim.qq.com`. */
  baseUrl: string;
  sdkAppId: number;
  /** The app administrator named in the URL (`identifier`). */
  admin: string;
  userSig: UserSigCache;
  /** A keep-alive client from createHttpClient(); it never retries by itself. */
  http: AxiosInstance;
  /** Deadline for one call, body included, in milliseconds. */
  timeoutMs: number;
  /** Uniform in [0, 1). @defaultValue Math.random */
  random?: () => number;
}

const UINT32_SPAN = 2 ** 32;
const WARM_UP_TIMEOUT_MS = 2000;

export function createTimProvider(deps: TimProviderDeps): TimProvider {
  const random = deps.random ?? Math.random;
  const origin = deps.baseUrl.replace(/\/+$/, '');
  const endpoint = `${origin}/v4/sns/friend_add`;

  return {
    name: 'tim',

    prepare(job, targets) {
      // Programming errors, not input errors: the worker splits and validates before this.
      if (targets.length === 0 || targets.length > TIM_MAX_TARGETS_PER_CALL) {
        throw new RangeError(`a friend_add call carries 1 to ${TIM_MAX_TARGETS_PER_CALL} targets, not ${targets.length}`);
      }
      // The UserSig is signed for one app: a job for another would only earn 70014 from TIM.
      if (job.sdkAppId !== undefined && job.sdkAppId !== deps.sdkAppId) {
        throw new InvalidInputError(`sdkAppId ${job.sdkAppId} is not the configured SDKAppID`, 'sdkAppId');
      }
      const query = new URLSearchParams({
        sdkappid: String(deps.sdkAppId),
        identifier: deps.admin,
        usersig: deps.userSig.get(),
        // Fresh per call: TIM uses it to tell calls apart.
        random: String(Math.min(UINT32_SPAN - 1, Math.floor(random() * UINT32_SPAN))),
        contenttype: 'json',
      });
      return {
        targets: targets.map((t) => t.toAccount),
        url: `${endpoint}?${query.toString()}`,
        body: JSON.stringify(requestBody(job, targets)),
        fromAccount: job.fromAccount,
      };
    },

    async warmUp() {
      // The same path as a call (postJson, axios, the agent), so nothing is compiled cold later.
      await postJson(deps.http, `${origin}/`, '{}', { timeoutMs: WARM_UP_TIMEOUT_MS }).catch(() => undefined);
    },

    send(prepared, hooks) {
      // postJson never puts the URL into its errors; keep it that way here too.
      return postJson(deps.http, prepared.url, prepared.body, { timeoutMs: deps.timeoutMs, ...hooks });
    },

    classify(prepared, answer: HttpAnswer | TransportError) {
      return classifyTimAnswer(prepared.targets, answer);
    },
  };
}

/** TIM's request body; optional fields are left out rather than sent empty. */
function requestBody(job: TimJob, targets: readonly TimTarget[]): Record<string, unknown> {
  return {
    From_Account: job.fromAccount,
    AddFriendItem: targets.map(addFriendItem),
    ...(job.addType !== undefined && { AddType: job.addType }),
    ...(job.forceAdd !== undefined && { ForceAddFlags: job.forceAdd ? 1 : 0 }),
  };
}

/** One target's item. Assigned, not spread: three spreads per target were most of serialising a 1000-target call. */
function addFriendItem(t: TimTarget): Record<string, string> {
  const item: Record<string, string> = { To_Account: t.toAccount, AddSource: t.addSource };
  if (t.remark !== undefined) item.Remark = t.remark;
  if (t.groupName !== undefined) item.GroupName = t.groupName;
  if (t.addWording !== undefined) item.AddWording = t.addWording;
  return item;
}
