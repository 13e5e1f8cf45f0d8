/**
 * The package's public library: the typed client over `friend-add`, the HTTP API factory, the
 * contract's vocabulary and schemas, and the configuration loader.
 */

// The vocabulary of the contract.
export { OUTCOMES } from './domain/types.js';
export type { Outcome, ProviderName, ResultBatch, ResultCode, RetryClass, TargetResult } from './domain/types.js';
export { ClassifiedError, InvalidInputError, TransportError } from './domain/errors.js';
export { INPUT_QUEUE, RESULTS_QUEUE } from './queue/names.js';

// The input job schemas, shared by the library, the API and the worker.
export {
  accountLimitProblem,
  dedupeTargets,
  parseTimJob,
  targetLimitProblem,
  timJobSchema,
  timTargetSchema,
} from './providers/tim/schema.js';
export type { LimitProblem, ParsedTimJob, TimJob, TimTarget } from './providers/tim/schema.js';
export { GEWE_ADD_SCENES, GEWE_OPTIONS, geweJobSchema, parseGeweJob } from './providers/gewe/schema.js';
export type { GeweJob, GeweOption, ParsedGeweJob } from './providers/gewe/schema.js';

// The library.
export { createFriendAddClient, FriendAddClient } from './client/friend-add-client.js';
export type { TimRequest } from './client/friend-add-client.js';
export type { FriendAddClientOptions } from './client/client-options.js';
export { openFriendAddClient } from './client/open-client.js';
export type { OpenClientOptions } from './client/open-client.js';
export { InvalidEntryError, RequestConflictError, UnknownRequestError } from './client/errors.js';
export { JOBS_PER_BULK, MAX_PRIORITY } from './client/submit-request.js';
export type { SubmitOptions, SubmitResult } from './client/submit-request.js';
export { TIM_TARGETS_PER_JOB } from './client/prepare-tim.js';
export type { GeweSubmit } from './client/prepare-gewe.js';
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from './client/read-request.js';
export type { RequestPage, RequestStatus } from './client/read-request.js';
export type { PendingTarget } from './client/pending-targets.js';
export type { CancelResult } from './client/cancel-request.js';
export type { NothingToRetry, RetryResult } from './client/retry-failed.js';
export { jobIdAt, jobIdStem } from './client/request-identity.js';

// The HTTP API, to embed in another fastify host or process.
export { buildApiServer, SUBMIT_BODY_LIMIT_BYTES } from './api/server.js';
export type { ApiServerOptions } from './api/server.js';
export type { ErrorReply } from './api/error-replies.js';

// A Redis connection as the workers make them (RESP2, `maxRetriesPerRequest: null`, Cluster for a
// node list), for callers who pass their own to createFriendAddClient.
export { createRedis } from './lib/redis.js';
export type { RedisClient } from './lib/redis-client.js';

// Configuration.
export { configWith, ConfigError, loadConfig } from './config/load.js';
export type { Config } from './config/config.js';
export { createLogger } from './lib/logger.js';
export type { Logger } from './lib/logger.js';

// Receivers of the results webhook verify its signature with these.
export { signWebhook, verifyWebhookSignature } from './webhook/signature.js';
