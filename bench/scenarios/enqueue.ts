import { Queue } from 'bullmq';
import { createFriendAddClient } from '../../src/client/friend-add-client.js';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import { NodeChild } from '../lib/child.js';
import { log, round } from '../lib/log.js';
import { runPool, timed } from '../lib/pool.js';
import { REDIS_URL } from '../lib/redis.js';
import { inScope } from '../lib/scope.js';
import { addInChunks } from '../lib/tim-load.js';
import { timEnv } from '../lib/sims.js';
import type { BenchContext, ScenarioReport } from '../lib/types.js';
import { atLeast, reported, verdict } from '../lib/verdicts.js';

const ACCOUNTS = 50;
/** Submits in flight at once, for the library and the API (one producer process). */
const IN_FLIGHT = 4;
/** One-target requests in flight: each is a few Redis round trips, so more lanes keep Redis busy. */
const SMALL_IN_FLIGHT = 32;
const GOAL = 100_000;
/** The API's bearer token in this run: made up, like the simulators' keys. */
const API_TOKEN = 'bench-api-token-7f6e5d4c3b2a';

type Request = { requestId: string; fromAccount: string; targets: { toAccount: string; addSource: string }[] };

function requests(tag: string, count: number, size: number): Request[] {
  return Array.from({ length: count }, (_, r) => ({
    requestId: `${tag}-${r}`,
    fromAccount: `${tag}_a${r % ACCOUNTS}`,
    targets: Array.from({ length: size }, (_, k) => ({ toAccount: `ok_${tag}_${r}_${k}`, addSource: 'AddSource_Type_Web' })),
  }));
}

/**
 * How fast work gets onto friend-add: 1M targets (quick: 100k) in 1,000-target requests through
 * the library, then through the HTTP API (workers/api.ts in its own process), each beside a plain
 * addBulk of the same jobs; then one-target requests through the library beside a plain addBulk
 * of one-target jobs. No workers run. Requests are built before the clock starts.
 */
export async function enqueue(ctx: BenchContext): Promise<ScenarioReport> {
  const big = ctx.quick ? 100 : 1000;
  const small = ctx.quick ? 20_000 : 100_000;
  const perSec = (n: number, ms: number) => Math.round((n * 1000) / ms);

  const libMs = await inScope('enq-lib', async (scope) => {
    const client = createFriendAddClient({ connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => client.close());
    const reqs = requests('lib', big, 1000);
    return timed(() => runPool(reqs, IN_FLIGHT, (r) => client.submitTim(r)));
  });
  log(`enqueue library: ${perSec(big * 1000, libMs)} targets/s`);

  const bulkMs = await inScope('enq-bulk', async (scope) => {
    const input = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => input.close());
    const jobs = requests('bulk', big, 1000).map((data) => ({ name: 'tim', data }));
    return timed(() => addInChunks(input, jobs, 100));
  });
  log(`enqueue plain addBulk, 1000-target jobs: ${perSec(big * 1000, bulkMs)} targets/s`);

  const apiMs = await inScope('enq-api', async (scope) => {
    const api = await scope.start(
      NodeChild.start({
        label: 'api',
        entry: 'workers/api.ts',
        // As deployed: secure by default (a bearer token, dashboard credentials) and serving the
        // providers whose credentials it has (the simulators' made-up ones; the API calls neither).
        env: {
          REDIS_URL,
          QUEUE_PREFIX: scope.prefix,
          API_PORT: '0',
          LOG_LEVEL: 'info',
          API_TOKEN,
          DASHBOARD_USER: 'bench',
          DASHBOARD_PASSWORD: 'bench-dashboard-password',
          ...timEnv('http://127.0.0.1:9', 100),
          PROVIDERS: 'tim',
        },
        ready: (line) => (line.includes('"api started"') ? (JSON.parse(line) as { url: string }).url : undefined),
      }),
    );
    const bodies = requests('api', big, 1000).map((r) => JSON.stringify(r));
    return timed(() =>
      runPool(bodies, IN_FLIGHT, async (body) => {
        const res = await fetch(`${api.ready}/v1/tim/friend-add`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` },
          body,
        });
        if (res.status !== 202) throw new Error(`POST /v1/tim/friend-add: HTTP ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }),
    );
  });
  log(`enqueue HTTP API: ${perSec(big * 1000, apiMs)} targets/s`);

  const smallLibMs = await inScope('enq-lib1', async (scope) => {
    const client = createFriendAddClient({ connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => client.close());
    const reqs = requests('one', small, 1);
    return timed(() => runPool(reqs, SMALL_IN_FLIGHT, (r) => client.submitTim(r)));
  });
  const smallBulkMs = await inScope('enq-bulk1', async (scope) => {
    const input = new Queue(INPUT_QUEUE, { connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => input.close());
    const jobs = requests('onebulk', small, 1).map((data) => ({ name: 'tim', data }));
    return timed(() => addInChunks(input, jobs, 1000));
  });
  log(`enqueue one-target: library ${perSec(small, smallLibMs)} jobs/s, addBulk ${perSec(small, smallBulkMs)} jobs/s`);

  const library = perSec(big * 1000, libMs);
  const checks = [
    atLeast(
      {
        subject: 'library, 1000-target requests',
        figure: 'targets/s',
        beside: `anchor: plain addBulk ${perSec(big * 1000, bulkMs).toLocaleString('en-US')} targets/s (same run)`,
      },
      library,
      GOAL,
    ),
    reported(
      { subject: 'HTTP API, 1000-target requests', figure: 'targets/s', beside: `library ${library.toLocaleString('en-US')} targets/s` },
      perSec(big * 1000, apiMs),
    ),
    reported(
      {
        subject: 'library, one-target requests',
        figure: 'jobs/s',
        beside: `anchor: plain addBulk ${perSec(small, smallBulkMs).toLocaleString('en-US')} jobs/s (same run)`,
      },
      perSec(small, smallLibMs),
    ),
  ];
  const v = verdict(checks);
  return {
    name: 'enqueue',
    setup: `${big * 1000} targets as ${big} requests of 1000 (${ACCOUNTS} From_Accounts), ${IN_FLIGHT} submits in flight from one producer process; ${small} one-target requests with ${SMALL_IN_FLIGHT} in flight; no workers; every phase on a fresh prefix`,
    libraryTargetsPerSec: library,
    apiTargetsPerSec: perSec(big * 1000, apiMs),
    oneTargetLibraryJobsPerSec: perSec(small, smallLibMs),
    anchors: {
      plainAddBulkTargetsPerSec: perSec(big * 1000, bulkMs),
      plainAddBulkOneTargetJobsPerSec: perSec(small, smallBulkMs),
      libraryVsAddBulk: round(bulkMs / libMs, 3),
      oneTargetLibraryVsAddBulk: round(smallBulkMs / smallLibMs, 3),
    },
    goal: `≥ ${GOAL.toLocaleString('en-US')} targets/s through the library (1000-target requests)`,
    checks,
    goalMet: v.goalMet,
    ...(v.failed.length && { notes: v.failed }),
  };
}
