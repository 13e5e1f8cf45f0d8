/**
 * An anchor for gewe-fairness: the least a hand-rolled paced GeWe worker does, so that the bench
 * can set ours beside what BullMQ and HTTP alone cost on the same machine in the same run. It
 * takes `gewe` jobs from friend-add at the given concurrency and spaces each account's calls by
 * INTERVAL_MS, with the slots kept in this process's memory (one process only: nothing is shared,
 * nothing survives a restart). A job whose slot is ahead goes back to delayed until then, as ours
 * does; a due one is POSTed through the same GeWe client as ours. No account state, no lock, no
 * results, no logs, no retries.
 *
 * Environment: REDIS_URL, QUEUE_PREFIX, GEWE_BASE_URL, GEWE_TOKEN, CONCURRENCY, INTERVAL_MS.
 * Prints `{"ready":true}` once consuming.
 */
import { DelayedError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createHttpClient } from '../../src/http/post-json.js';
import { createGeweProvider } from '../../src/providers/gewe/client.js';
import type { GeweJob } from '../../src/providers/gewe/schema.js';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import { requiredEnv as env, serveAnchor } from './anchor-process.js';

const intervalMs = Number(env('INTERVAL_MS'));
const provider = createGeweProvider({ baseUrl: env('GEWE_BASE_URL'), token: env('GEWE_TOKEN'), http: createHttpClient(), timeoutMs: 10_000 });

/** Each account's next free slot, and each job's reserved one (kept across its passes). */
const nextFree = new Map<string, number>();
const slots = new Map<string, number>();

function slotOf(jobId: string, appId: string): number {
  const known = slots.get(jobId);
  if (known !== undefined) return known;
  const slot = Math.max(Date.now(), nextFree.get(appId) ?? 0);
  nextFree.set(appId, slot + intervalMs);
  slots.set(jobId, slot);
  return slot;
}

const worker = new Worker(
  INPUT_QUEUE,
  async (job, token) => {
    const data = job.data as GeweJob;
    const slot = slotOf(String(job.id), data.appId);
    if (slot > Date.now() + 5) {
      await job.moveToDelayed(slot, token);
      throw new DelayedError();
    }
    slots.delete(String(job.id));
    const answer = await provider.send(provider.prepare(data));
    return (answer.body as { ret?: number }).ret ?? null;
  },
  { connection: new Redis(env('REDIS_URL'), { maxRetriesPerRequest: null }), prefix: env('QUEUE_PREFIX'), concurrency: Number(env('CONCURRENCY')) },
);
await serveAnchor(worker);
