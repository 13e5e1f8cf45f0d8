import type { Queue } from 'bullmq';
import { Job } from 'bullmq';
import { jobIdAt, jobIdStem } from '../../src/client/request-identity.js';
import { resultKey } from './delivery-counts.js';
import { timTargets } from './tim-sim.js';
import { waitFor } from './wait-for.js';

/** A small TIM request: `targets` targets of one of `accounts` From_Accounts, all answered 0. */
export function timRequest(requestId: string, index: number, targets = 10, accounts = 50) {
  const names = Array.from({ length: targets }, (_, k) => `ok_${requestId}_${k}`);
  return { requestId, fromAccount: `acct_${index % accounts}`, targets: timTargets(names) };
}

/** Every requestId/target key of these requests: what must come back, once each. */
export function keysOf(requests: Iterable<{ requestId: string; targets: { toAccount: string }[] }>, into = new Set<string>()): Set<string> {
  for (const r of requests) for (const t of r.targets) into.add(resultKey(r.requestId, t.toAccount));
  return into;
}

/** Whether a request submitted through the library still has its first job on the queue. */
export async function hasFirstJob(input: Queue, requestId: string): Promise<boolean> {
  return (await Job.fromId(input, jobIdAt(jobIdStem('tim', requestId), 0))) !== undefined;
}

/** Waits until `count` input jobs are completed or failed; returns the counts by state either way. */
export async function waitForJobsDone(input: Queue, count: number, timeoutMs: number) {
  let error: unknown;
  try {
    await waitFor(
      `${count} jobs to complete`,
      async () => {
        const c = await input.getJobCounts('completed', 'failed');
        return c.completed! + c.failed! >= count;
      },
      timeoutMs,
      250,
    );
  } catch (err) {
    error = err;
  }
  return { error, states: await input.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed') };
}

export interface Ack {
  request: ReturnType<typeof timRequest>;
  at: number;
}

/**
 * Submits small TIM requests one after another through `submit` (the library), recording when
 * each was acknowledged, until `stop` is called; `stop` resolves once the submit in flight is
 * answered (after a Redis restart, if Redis is down).
 */
export function submitStream(submit: (request: ReturnType<typeof timRequest>) => Promise<unknown>, prefix: string) {
  const acks: Ack[] = [];
  let stopping = false;
  const loop = (async () => {
    for (let i = 0; !stopping; i++) {
      const request = timRequest(`${prefix}-${i}`, i);
      await submit(request);
      acks.push({ request, at: Date.now() });
      await new Promise((r) => setTimeout(r, 5)); // a steady stream, not one burst
    }
  })();
  return {
    acks,
    halt: () => {
      stopping = true;
    },
    stop: async () => {
      stopping = true;
      await loop;
    },
  };
}

/** Acknowledged requests whose first job is gone after a crash at `killAt`, and the oldest one's age then. */
export async function lostAcks(input: Queue, acks: readonly Ack[], killAt: number): Promise<{ count: number; oldestMs: number }> {
  const missing: Ack[] = [];
  for (const ack of acks) if (!(await hasFirstJob(input, ack.request.requestId))) missing.push(ack);
  return { count: missing.length, oldestMs: Math.max(0, ...missing.map((m) => killAt - m.at)) };
}

/** Submits every request again; returns the refusals (a submit is idempotent, so none is expected). */
export async function resubmitAll(submit: (request: ReturnType<typeof timRequest>) => Promise<unknown>, acks: readonly Ack[]): Promise<string[]> {
  const refused: string[] = [];
  for (const { request } of acks) await submit(request).catch((err: Error) => refused.push(`${request.requestId}: ${err.message}`));
  return refused;
}
