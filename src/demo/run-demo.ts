import { Queue, QueueEvents } from 'bullmq';
import type { Config } from '../config/config.js';
import { configWith } from '../config/load.js';
import { createLogger } from '../lib/logger.js';
import { createRedis } from '../lib/redis.js';
import { startWorker } from '../app/start-worker.js';
import { RESULTS_QUEUE } from '../queue/names.js';
import { startTimSimulator } from '../sim/tim/index.js';
import { startGeweSimulator } from '../sim/gewe/index.js';
import { createFriendAddClient } from '../client/friend-add-client.js';
import { DAY } from '../lib/time.js';
import type { ResultBatch } from '../domain/types.js';
import { demoGeweItems, demoTimTargets, DEMO_GEWE_SEASONED } from './demo-requests.js';
import { formatTable, totalsByOutcome, type Row } from './print-results.js';

const DEMO_SDKAPPID = 1400000000;
const DEMO_KEY = 'demo-secret-key-not-for-production';
const DEMO_GEWE_TOKEN = 'demo-gewe-token';

/**
 * `npm run demo`: the built-in simulators, a worker pointed at them, a TIM request of 2,500
 * targets and GeWe adds for a new and a seasoned account; progress, then every result.
 */
export async function runDemo(base: Config, out: (line: string) => void = console.log): Promise<number> {
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
    RETRY_BASE_MS: 200,
  });
  const redis = createRedis(config.redisUrl);
  const worker = await startWorker(config, createLogger({ level: 'warn', name: 'demo-worker' }));
  const client = createFriendAddClient({ connection: redis, config });
  const results = new Queue(RESULTS_QUEUE, { connection: redis, prefix });
  const events = new QueueEvents(RESULTS_QUEUE, { connection: createRedis(config.redisUrl), prefix });
  try {
    await client.setGeweAccount(DEMO_GEWE_SEASONED, new Date(Date.now() - 10 * DAY));
    out(`simulators: TIM ${tim.url}, GeWe ${gewe.url}; Redis prefix ${prefix}`);
    const timTargets = demoTimTargets();
    const timRequest = await client.submitTim({ requestId: 'demo-tim', fromAccount: 'demo_alice', targets: timTargets });
    const geweItems = demoGeweItems();
    const geweRequest = await client.submitGewe({ requestId: 'demo-gewe', items: geweItems.map((item, i) => ({ ...item, v4: `${item.v4}_${i}` })) });
    const expected = timRequest.targets + geweRequest.targets;
    out(`submitted: TIM request demo-tim (${timTargets.length} targets), GeWe request demo-gewe (${geweItems.length} adds)`);
    const rows = await collect(results, expected, out);
    out(`\nTIM calls as the simulator saw them: ${tim.arrivals().map((a) => a.count).join(', ')} targets`);
    for (const appId of new Set(geweItems.map((g) => g.appId))) {
      const times = gewe.arrivals().filter((a) => a.appId === appId).map((a) => a.at);
      const gaps = times.slice(1).map((t, i) => Math.round(t - times[i]!));
      out(`GeWe ${appId}: ${times.length} calls, spacing ${gaps.join(' ms, ')} ms`);
    }
    out(`\ntotals: ${JSON.stringify(totalsByOutcome(rows))}`);
    const interesting = rows.filter((r) => r.provider === 'gewe' || r.outcome !== 'added' || r.attempts > 1);
    out(`\nper-target results (GeWe, and TIM targets that were not simply added; ${rows.length} in all):`);
    out(formatTable(interesting));
    return rows.length === expected ? 0 : 1;
  } finally {
    await events.close();
    await worker.close();
    await client.input.obliterate({ force: true }).catch(() => undefined);
    await results.obliterate({ force: true }).catch(() => undefined);
    await Promise.all([client.close(), results.close()]);
    redis.disconnect();
    await Promise.all([tim.close(), gewe.close()]);
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
