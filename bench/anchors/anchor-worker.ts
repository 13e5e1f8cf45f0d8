/**
 * An anchor: the minimal worker a user would hand-roll instead of this system, so the bench can
 * set our limiter beside BullMQ's and Bottleneck's in the same run. It takes `tim` jobs from
 * friend-add and POSTs one friend_add per job to TIM (the simulator), through the same signing and
 * HTTP code as ours (src/providers/tim/client.ts), signed and serialised before the permit as ours
 * is. No account lock, no retries, no results: only the rate limiting differs.
 *
 * Environment: REDIS_URL, QUEUE_PREFIX, TIM_BASE_URL, TIM_SDKAPPID, TIM_SECRET_KEY, CONCURRENCY,
 * ANCHOR = `bullmq` (with LIMIT_MAX, LIMIT_DURATION_MS: BullMQ's worker limiter, global to the queue),
 * `bottleneck` (with MIN_TIME_MS: Bottleneck clustered on Redis, datastore ioredis, shared id) or
 * `none` (no limiter: what BullMQ alone costs a call, for tim-overhead).
 * Prints `{"ready":true}` once consuming.
 */
import Bottleneck from 'bottleneck';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createHttpClient } from '../../src/http/post-json.js';
import { createTimProvider } from '../../src/providers/tim/client.js';
import type { TimJob } from '../../src/providers/tim/schema.js';
import { UserSigCache } from '../../src/providers/tim/usersig.js';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import { requiredEnv as env, serveAnchor } from './anchor-process.js';

const redis = () => new Redis(env('REDIS_URL'), { maxRetriesPerRequest: null, protocol: 2 } as never);
const prefix = env('QUEUE_PREFIX');
const sdkAppId = Number(env('TIM_SDKAPPID'));
const userSig = new UserSigCache({ sdkAppId, secretKey: env('TIM_SECRET_KEY'), identifier: 'administrator' });
const provider = createTimProvider({ baseUrl: env('TIM_BASE_URL'), sdkAppId, admin: 'administrator', userSig, http: createHttpClient(), timeoutMs: 10_000 });

let schedule = <T>(fn: () => Promise<T>): Promise<T> => fn();
let bottleneck: Bottleneck | undefined;
const anchor = env('ANCHOR');
if (anchor === 'bottleneck') {
  const connection = new Bottleneck.IORedisConnection({ client: redis(), Redis } as never);
  // One id for every process: they share the limiter's state in Redis (clustered mode).
  bottleneck = new Bottleneck({
    id: `${prefix}-anchor`,
    minTime: Number(env('MIN_TIME_MS')),
    maxConcurrent: null,
    datastore: 'ioredis',
    clearDatastore: false,
    connection,
  });
  bottleneck.on('error', (err: unknown) => process.stderr.write(`bottleneck: ${String(err)}\n`));
  await bottleneck.ready();
  const limiter = bottleneck;
  schedule = (fn) => limiter.schedule(fn);
} else if (anchor !== 'bullmq' && anchor !== 'none') {
  throw new Error(`ANCHOR must be bullmq, bottleneck or none, not ${anchor}`);
}

const limiter = anchor === 'bullmq' ? { max: Number(env('LIMIT_MAX')), duration: Number(env('LIMIT_DURATION_MS')) } : undefined;
const worker = new Worker(
  INPUT_QUEUE,
  async (job) => {
    const data = job.data as TimJob;
    const prepared = provider.prepare(data, data.targets);
    const answer = await schedule(() => provider.send(prepared));
    return (answer.body as { ErrorCode?: number }).ErrorCode ?? null;
  },
  { connection: redis(), prefix, concurrency: Number(env('CONCURRENCY')), limiter },
);
await serveAnchor(worker, async () => bottleneck?.disconnect());
