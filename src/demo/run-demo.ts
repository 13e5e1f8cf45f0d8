import { once } from 'node:events';
import { Queue } from 'bullmq';
import type { Config } from '../config/config.js';
import { configWith } from '../config/load.js';
import { createLogger } from '../lib/logger.js';
import { createRedis } from '../lib/redis.js';
import { startWorker } from '../app/start-worker.js';
import { startApi, type RunningApi } from '../api/start-api.js';
import type { Logger } from '../lib/logger.js';
import type { RedisClient } from '../lib/redis-client.js';
import { RESULTS_QUEUE } from '../queue/names.js';
import { startTimSimulator } from '../sim/tim/index.js';
import { startGeweSimulator } from '../sim/gewe/index.js';
import { createFriendAddClient } from '../client/friend-add-client.js';
import { DAY } from '../lib/time.js';
import type { ResultBatch } from '../domain/types.js';
import { demoGeweItems, demoTimTargets, DEMO_GEWE_SEASONED } from './demo-requests.js';
import { formatTable, totalsByOutcome, type Row } from './print-results.js';
import { DEMO_CALLBACK_ENV, enableDemoCallbacks, showCallbackLoop } from './demo-callbacks.js';

const DEMO_SDKAPPID = 1400000000;
const DEMO_KEY = 'demo-secret-key-not-for-production';
const DEMO_GEWE_TOKEN = 'demo-gewe-token';

export interface DemoOptions {
  /** Keep the API and dashboard up after the results, until SIGINT or SIGTERM. */
  keepRunning?: boolean;
  out?: (line: string) => void;
}

/**
 * `npm run demo`: the built-in simulators, a worker and the API pointed at them, a TIM request of
 * 2,500 targets and GeWe adds for a new and a seasoned account through the library; progress,
 * then every result, and the dashboard's address.
 */
export async function runDemo(base: Config, options: DemoOptions = {}): Promise<number> {
  const out = options.out ?? console.log;
  const tim = await startTimSimulator({ sdkAppId: DEMO_SDKAPPID, secretKey: DEMO_KEY, ratePerSec: 100 });
  const gewe = await startGeweSimulator({ token: DEMO_GEWE_TOKEN });
  const prefix = `${base.queuePrefix}-demo-${Date.now().toString(36)}`;
  const config = configWith({
    REDIS_URL: base.redisUrl,
    QUEUE_PREFIX: prefix,
    TIM_SDKAPPID: DEMO_SDKAPPID,
    TIM_SECRET_KEY: DEMO_KEY,
    TIM_BASE_URL: tim.url,
    GEWE_BASE_URL: gewe.url,
    GEWE_TOKEN: DEMO_GEWE_TOKEN,
    GEWE_NEW_INTERVAL_MS: 1500,
    GEWE_INTERVAL_MS: 500,
    GEWE_JITTER: 0.2,
    // Transient targets retry after 0.5–1.5 s: the request's later jobs take the account first,
    // so the calls read 1000, 1000, 500 even on a busy machine, then the retries.
    RETRY_BASE_MS: 1000,
    // The demo's API and dashboard take no credentials, on purpose: it says so when it starts.
    API_AUTH: 'off',
    ...DEMO_CALLBACK_ENV,
  });
  const redis = createRedis(config.redisUrl);
  const logger = createLogger({ level: 'warn', name: 'demo' });
  const worker = await startWorker(config, logger);
  const api = await startDemoApi(config, base.api.port, logger);
  const client = createFriendAddClient({ connection: redis, config });
  const results = new Queue(RESULTS_QUEUE, { connection: redis, prefix });
  try {
    await enableDemoCallbacks(tim, gewe, api.url);
    await client.setGeweAccount(DEMO_GEWE_SEASONED, new Date(Date.now() - 10 * DAY));
    out(`simulators: TIM ${tim.url}, GeWe ${gewe.url}; Redis prefix ${prefix}`);
    const timTargets = demoTimTargets();
    const timRequest = await client.submitTim({ requestId: 'demo-tim', fromAccount: 'demo_alice', targets: timTargets });
    const geweItems = demoGeweItems();
    const geweRequest = await client.submitGewe({ requestId: 'demo-gewe', items: geweItems.map((item, i) => ({ ...item, v4: `${item.v4}_${i}` })) });
    const expected = timRequest.targets + geweRequest.targets;
    out(`submitted: TIM request demo-tim (${timTargets.length} targets), GeWe request demo-gewe (${geweItems.length} adds)`);
    const rows = await collect(results, expected, out);
    out(
      `\nTIM calls as the simulator saw them: ${tim
        .arrivals()
        .map((a) => a.count)
        .join(', ')} targets`,
    );
    for (const appId of new Set(geweItems.map((g) => g.appId))) {
      const times = gewe
        .arrivals()
        .filter((a) => a.appId === appId)
        .map((a) => a.at);
      const gaps = times.slice(1).map((t, i) => Math.round(t - times[i]!));
      out(`GeWe ${appId}: ${times.length} calls, spacing ${gaps.join(' ms, ')} ms`);
    }
    out(`\ntotals: ${JSON.stringify(totalsByOutcome(rows))}`);
    const interesting = rows.filter((r) => r.provider === 'gewe' || r.outcome !== 'added' || r.attempts > 1);
    out(`\nper-target results (GeWe, and TIM targets that were not simply added; ${rows.length} in all):`);
    out(formatTable(interesting));
    const looped = await showCallbackLoop({ config, redis, client, gewe }, rows, DEMO_GEWE_SEASONED, out);
    out(`\ndashboard: ${api.url}/admin/queues  (request status: ${api.url}/v1/requests/demo-tim)`);
    out('(API_AUTH=off: the demo API and dashboard take no credentials; production wants API_TOKEN and DASHBOARD_USER/PASSWORD)');
    if (options.keepRunning) {
      out('keeping the API, the dashboard and the worker up: Ctrl-C to stop');
      await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    } else {
      out('(they stop with the demo; `npm run demo -- --keep-running` keeps them up)');
    }
    return rows.length === expected && looped ? 0 : 1;
  } finally {
    await api.close();
    await worker.close();
    await Promise.all([client.close(), results.close()]);
    await deletePrefix(redis, prefix).catch(() => undefined);
    redis.disconnect();
    await Promise.all([tim.close(), gewe.close()]);
  }
}

/** The demo leaves nothing behind: every key under its own prefix goes (SCAN, never FLUSH). */
async function deletePrefix(redis: RedisClient, prefix: string): Promise<void> {
  const nodes = 'nodes' in redis ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) await node.unlink(key);
    } while (cursor !== '0');
  }
}

/** The API on API_PORT, or on a free port when that one is taken. */
async function startDemoApi(config: Config, port: number, logger: Logger): Promise<RunningApi> {
  try {
    return await startApi(config, logger, { port, host: '127.0.0.1' });
  } catch {
    return startApi(config, logger, { port: 0, host: '127.0.0.1' });
  }
}

async function collect(results: Queue, expected: number, out: (line: string) => void): Promise<Row[]> {
  const deadline = Date.now() + 120_000;
  let last = -1;
  for (;;) {
    const jobs = await results.getJobs(['waiting', 'completed'], 0, -1);
    const rows = jobs.flatMap((j) => (j.data as ResultBatch).results.map((r) => ({ ...r, account: j.data.account, provider: j.data.provider })));
    if (rows.length !== last) {
      out(`progress: ${rows.length}/${expected} results ${JSON.stringify(totalsByOutcome(rows))}`);
      last = rows.length;
    }
    if (rows.length >= expected) return rows;
    if (Date.now() > deadline) throw new Error(`demo: only ${rows.length} of ${expected} results after 120 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
