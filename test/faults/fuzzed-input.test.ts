import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import type { Job } from 'bullmq';
import { buildApiServer } from '../../src/api/server.js';
import { createLogger } from '../../src/lib/logger.js';
import { createRedis } from '../../src/lib/redis.js';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import type { GeweSimulator } from '../../src/sim/gewe/index.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { countDelivery, resultKey } from '../helpers/delivery-counts.js';
import { waitForJobsDone } from '../helpers/fault-requests.js';
import { caseTimeoutMs, sized } from '../helpers/faults-mode.js';
import { startCase } from '../helpers/faults-summary.js';
import { geweEnv, startTestGeweSim } from '../helpers/gewe-sim.js';
import { asApiBody, goodJobs, malformedJobs, type GoodJob, type Malformed } from '../helpers/malformed-input.js';
import { startTestTimSim, timEnv } from '../helpers/tim-sim.js';
import type { WorkerProcess } from '../helpers/worker-process.js';

const COUNT = sized(300, 1000);
const SEED = Number(process.env.FAULTS_SEED ?? Date.now() % 1_000_000);

/** What the worker can still read of a broken job: its requestId and the targets it names. */
function knownTargets(m: Malformed, jobId: string): string[] {
  const d = (typeof m.data === 'object' && m.data !== null && !Array.isArray(m.data) ? m.data : {}) as Record<string, unknown>;
  const ok = (v: unknown, max = Infinity): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
  const requestId = ok(d.requestId, 200) ? d.requestId : jobId;
  if (m.name === 'gewe') return ok(d.v3) ? [resultKey(requestId, d.v3)] : [];
  if (m.name !== 'tim' || !Array.isArray(d.targets)) return [];
  const named = d.targets.map((t) => (typeof t === 'object' && t !== null ? (t as Record<string, unknown>).toAccount : undefined));
  return [...new Set(named.filter((t) => ok(t)))].map((t) => resultKey(requestId, t));
}

/** Whether a failure reason names one of the fields broken on purpose. */
function namesBrokenField(reason: string, broken: string[]): boolean {
  if (!/^invalid job: \S+/.test(reason)) return false;
  return broken.includes('*') || broken.some((field) => reason.includes(field));
}

/**
 * Malformed jobs generated with fast-check, interleaved with good ones, against a worker process;
 * then malformed API bodies. Replay a run with FAULTS_SEED=<seed printed in the counts>.
 */
describe('faults: fuzzed input', () => {
  let tim: TimSimulator;
  let gewe: GeweSimulator;
  let h: Harness;
  let worker: WorkerProcess;

  beforeAll(async () => {
    [tim, gewe] = await Promise.all([startTestTimSim({ ratePerSec: 1000 }), startTestGeweSim()]);
    h = createHarness('faults-fuzz', { ...timEnv(tim), ...geweEnv(gewe, { GEWE_INTERVAL_MS: 0, GEWE_NEW_INTERVAL_MS: 0 }) });
    worker = await h.spawnWorker();
  });
  afterAll(async () => {
    await h.close();
    await Promise.all([tim.close(), gewe.close()]);
  });

  it(
    `fails ${COUNT} malformed jobs naming a field, refuses their targets, and finishes the good jobs between them`,
    async () => {
      const done = startCase('fuzzed-jobs');
      const bad = malformedJobs(COUNT, SEED);
      const good = goodJobs(Math.ceil(COUNT / 10));
      const all: (Malformed | GoodJob)[] = bad.flatMap((m, i) => (i % 10 === 0 && good[i / 10] ? [good[i / 10]!, m] : [m]));
      const added: Job[] = [];
      for (let s = 0; s < all.length; s += 500) {
        added.push(...(await h.input.addBulk(all.slice(s, s + 500).map(({ name, data }) => ({ name, data })))));
      }
      const { error, states } = await waitForJobsDone(h.input, all.length, sized(60_000, 180_000));

      const reasons = new Map((await h.input.getFailed(0, -1)).map((j) => [j.id!, j.failedReason]));
      const expected = new Set<string>();
      let unclear = 0;
      let fieldSlotElsewhere = 0;
      for (const [i, job] of all.entries()) {
        const id = added[i]!.id!;
        if ('key' in job) {
          expected.add(job.key);
          continue;
        }
        for (const key of knownTargets(job, id)) expected.add(key);
        const reason = reasons.get(id) ?? '';
        if (!namesBrokenField(reason, job.broken)) unclear += 1;
        else if (!job.broken.includes('*') && !job.broken.includes(reason.slice(13).split(/[.:]/)[0]!)) fieldSlotElsewhere += 1;
      }
      const results = await h.results.all();
      const delivery = countDelivery(expected, results);
      const goodIds = new Set(good.map((g) => g.requestId));
      const asExpected = (r: (typeof results)[number]) =>
        goodIds.has(r.requestId) ? ['added', 'requested'].includes(r.outcome) : r.outcome === 'refused' && r.code === 'invalid_input';
      const wrongOutcome = results.filter((r) => !asExpected(r)).length;
      const crashed = worker.exitCode !== undefined || /"level":60/.test(worker.output);
      const counts = {
        ...delivery,
        limitViolations: tim.violations().length + gewe.violations().length,
        seed: SEED,
        badJobs: bad.length,
        goodJobs: good.length,
        failedJobs: states.failed!,
        completedJobs: states.completed!,
        unclearErrors: unclear,
        fieldSlotElsewhere,
        wrongOutcome,
        workerCrashed: crashed,
      };
      const badCount = delivery.lost + delivery.duplicated + delivery.unexpected + unclear + wrongOutcome + (crashed ? 1 : 0);
      await done(counts, !error && badCount === 0 && states.failed === bad.length);
      if (error) throw error;
      expect({ crashed, unclear, wrongOutcome }).toEqual({ crashed: false, unclear: 0, wrongOutcome: 0 });
      expect({ failed: states.failed, completed: states.completed }).toEqual({ failed: bad.length, completed: good.length });
      expect({ lost: delivery.lost, duplicated: delivery.duplicated, unexpected: delivery.unexpected }).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    },
    caseTimeoutMs(90_000, 240_000),
  );

  it(
    `answers ${COUNT} malformed API bodies 400 naming a field, and adds no job`,
    async () => {
      const done = startCase('fuzzed-api');
      const connection = createRedis(h.env.REDIS_URL!) as Redis;
      const logger = createLogger({ level: 'silent' });
      const app: FastifyInstance = await buildApiServer({ config: h.config, connection, logger });
      const jobsBefore = Object.values(await h.input.getJobCounts()).reduce((a, b) => a + b, 0);
      const bodies = malformedJobs(COUNT, SEED + 1).map(asApiBody);
      const offending: string[] = [];
      let noField = 0;
      let serverErrors = 0;
      for (const { url, payload } of bodies) {
        const res = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
        if (res.statusCode >= 500) serverErrors += 1;
        if (res.statusCode !== 400) offending.push(`${res.statusCode} ${url} ${payload.slice(0, 300)}`);
        else if (typeof (res.json() as { field?: unknown }).field !== 'string') noField += 1;
      }
      await app.close();
      connection.disconnect();
      const jobsAdded = Object.values(await h.input.getJobCounts()).reduce((a, b) => a + b, 0) - jobsBefore;
      const counts = {
        targets: 0,
        lost: 0,
        duplicated: 0,
        limitViolations: 0,
        seed: SEED + 1,
        bodies: bodies.length,
        not400: offending.length,
        noField,
        serverErrors,
        jobsAdded,
      };
      await done(counts, offending.length + noField + jobsAdded === 0);
      expect(offending).toEqual([]);
      expect({ noField, serverErrors, jobsAdded }).toEqual({ noField: 0, serverErrors: 0, jobsAdded: 0 });
    },
    caseTimeoutMs(60_000, 120_000),
  );
});
