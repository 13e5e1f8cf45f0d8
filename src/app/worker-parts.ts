import { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import { Keys } from '../lib/keys.js';
import { secrets } from '../lib/secrets.js';
import { createHttpClient } from '../http/post-json.js';
import { INPUT_QUEUE, RESULTS_QUEUE } from '../queue/names.js';
import { JobStore } from '../queue/job-store.js';
import { ResultPublisher } from '../queue/result-publisher.js';
import { JobWaker } from '../queue/job-waker.js';
import { HandoffQueues } from '../queue/handoff-queues.js';
import { AccountLocks } from '../accounts/account-lock.js';
import { HELD_SHARE, LockReleases } from '../accounts/lock-releases.js';
import { AccountStates } from '../accounts/account-state.js';
import { TimRateGate } from '../limiter/tim-rate-gate.js';
import { Admission, admissionWidth } from '../worker/admission.js';
import { UserSigCache } from '../providers/tim/usersig.js';
import { createTimProvider, type TimProvider } from '../providers/tim/client.js';
import { createGeweProvider, type GeweProvider } from '../providers/gewe/client.js';
import { GewePacer } from '../pacing/gewe-pacer.js';
import { GeweRegistry } from '../accounts/gewe-registry.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { CredentialGuard } from '../fleet/credential-guard.js';
import { CredentialSuspensions } from '../fleet/credential-suspensions.js';
import { ownFingerprints } from '../fleet/provider-status.js';

/**
 * A worker's two connections to Redis, both made by connectForState (no offline queue, no
 * resend). `state` carries our own keys and scripts; `queues` carries BullMQ's Queues (the
 * intake, results, hand-off queues). They are apart because BullMQ defines its ~50 scripts on
 * the connection it is given, and ioredis copies every defined script onto each MULTI or
 * pipeline built on that connection: on the state connection, which builds several per call,
 * that copying was 5 % of a GeWe worker's CPU.
 */
export interface WorkerConnections {
  state: RedisClient;
  queues: RedisClient;
  /** Subscribed to lease releases (LockReleases); without it, a busy account's jobs go back to delayed at once. */
  releases?: RedisClient;
}

/** The shared parts a worker process is built from. */
export interface WorkerParts {
  keys: Keys;
  input: Queue;
  results: Queue;
  store: JobStore;
  publisher: ResultPublisher;
  waker: JobWaker;
  /** The hand-off queues of the services (a job a worker cannot serve moves to its service's). */
  handoffs: HandoffQueues;
  locks: AccountLocks;
  /** Lease releases heard from every worker, when the worker has a connection for them. */
  releases?: LockReleases;
  accounts: AccountStates;
  gate: TimRateGate;
  admission: Admission;
  timProvider?: TimProvider;
  userSig?: UserSigCache;
  geweProvider?: GeweProvider;
  pacer: GewePacer;
  registry: GeweRegistry;
  clock: Clock;
  suspensions: CredentialSuspensions;
  timCredential?: CredentialGuard;
  geweCredential?: CredentialGuard;
}

export function buildWorkerParts(config: Config, connections: WorkerConnections, logger: Logger, clock: Clock = systemClock): WorkerParts {
  const { state: redis, queues: queueRedis } = connections;
  const keys = new Keys(config.queuePrefix);
  const queueOptions = { connection: queueRedis, prefix: config.queuePrefix };
  const input = new Queue(INPUT_QUEUE, queueOptions);
  const results = new Queue(RESULTS_QUEUE, queueOptions);
  for (const queue of [input, results]) queue.on('error', (err) => logger.error({ err }, 'queue error'));
  const handoffs = new HandoffQueues(queueRedis, config.queuePrefix, (err, queue) => logger.error({ err, queue }, 'queue error'));
  const publisher = new ResultPublisher(redis, keys, results, config.requestTtlMs, config.crashAt);
  const store = new JobStore(redis, keys, config.requestTtlMs, undefined, publisher.resultJobs);
  // Most of a process's slots, never all: see LockReleases.
  const mostHeld = Math.max(1, Math.floor(config.workerConcurrency * HELD_SHARE));
  const releases = connections.releases && new LockReleases(connections.releases, keys.lockReleases(), logger, mostHeld);
  const http = createHttpClient();
  const { sdkAppId, secretKey } = config.tim;
  secrets.add(secretKey);
  secrets.add(config.gewe.token);
  secrets.add(config.api.token);
  const userSig = sdkAppId !== undefined && secretKey ? new UserSigCache({ sdkAppId, secretKey, identifier: config.tim.admin }) : undefined;
  const timProvider =
    userSig && sdkAppId !== undefined
      ? createTimProvider({ baseUrl: config.tim.baseUrl, sdkAppId, admin: config.tim.admin, userSig, http, timeoutMs: config.httpTimeoutMs })
      : undefined;
  const geweProvider = config.gewe.token
    ? createGeweProvider({ baseUrl: config.gewe.baseUrl, token: config.gewe.token, http, timeoutMs: config.httpTimeoutMs })
    : undefined;
  const suspensions = new CredentialSuspensions(redis, keys);
  const fingerprints = ownFingerprints(config);
  const waker = new JobWaker(input, handoffs);
  const guard = (provider: 'tim' | 'gewe', fingerprint: string) =>
    new CredentialGuard(suspensions, provider, fingerprint, config.providerRecheckMs, logger, clock);
  return {
    keys,
    input,
    results,
    store,
    publisher,
    waker,
    handoffs,
    locks: new AccountLocks(redis, keys, config.jobLockMs, releases, waker.waiterQueue()),
    releases,
    accounts: new AccountStates(redis, keys, { maxRepeats: config.strikeMaxRepeats, lockoutMs: config.strikeLockoutMs }),
    gate: new TimRateGate(redis, keys, { ratePerSec: config.tim.ratePerSec, jitterMarginMs: config.tim.jitterMarginMs }),
    admission: new Admission(admissionWidth(config.tim.ratePerSec, config.workerConcurrency)),
    timProvider,
    userSig,
    geweProvider,
    pacer: new GewePacer(redis, keys, config.gewe.timeZone, clock),
    registry: new GeweRegistry(redis, keys, config.gewe.newAccountMs),
    clock,
    suspensions,
    timCredential: fingerprints.tim ? guard('tim', fingerprints.tim) : undefined,
    geweCredential: fingerprints.gewe ? guard('gewe', fingerprints.gewe) : undefined,
  };
}
