import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import type { RunningWorker } from '../../src/app/start-worker.js';
import { createLogger } from '../../src/lib/logger.js';
import { startApi, type RunningApi } from '../../src/api/start-api.js';
import { Keys } from '../../src/lib/keys.js';
import { AccountStates } from '../../src/accounts/account-state.js';
import { GewePacer } from '../../src/pacing/gewe-pacer.js';
import { GeweRegistry } from '../../src/accounts/gewe-registry.js';
import { systemClock } from '../../src/lib/clock.js';
import { QUEUE_STATES } from '../../src/metrics/queue-depth.js';
import { createHarness, TEST_GEWE_TOKEN, TEST_SDKAPPID, type Harness } from '../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';
import { startReceiver } from '../webhook/receiver.js';
import { waitFor } from '../helpers/wait-for.js';
import { parseProm, sampleSum, type Sample } from './prom-text.js';

/** A scrape's samples, and the families it declares as gauges. */
async function scrapeTyped(url: string): Promise<{ samples: Sample[]; gauges: Set<string> }> {
  const text = await (await fetch(url)).text();
  const gauges = new Set([...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]!));
  return { samples: parseProm(text), gauges };
}
const seriesId = (s: Sample) =>
  `${s.name}{${Object.entries(s.labels)
    .sort()
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}}`;
/** Per process by nature (each process's CPU and heap), labelled apart by Prometheus's `instance`. */
const perProcess = (name: string) => /^(process_|nodejs_)/.test(name);

describe('/metrics with the API and 3 workers: each series once overall, gauges as Redis holds them', () => {
  let sim: TimSimulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let h: Harness;
  let api: RunningApi;
  const workers: RunningWorker[] = [];

  beforeAll(async () => {
    sim = await startTestTimSim({ ratePerSec: 100 });
    receiver = await startReceiver('whsec-metrics-once-1a2b');
    h = createHarness(
      'metrics-once',
      timEnv(sim, { RETRY_BASE_MS: 20, GEWE_TOKEN: TEST_GEWE_TOKEN, RESULTS_WEBHOOK_URL: receiver.url, RESULTS_WEBHOOK_SECRET: 'whsec-metrics-once-1a2b' }),
    );
    api = await startApi(h.config, createLogger({ level: 'silent' }), { port: 0, host: '127.0.0.1' });
    for (let i = 0; i < 3; i += 1) workers.push(await h.startWorker(undefined, { WORKER_METRICS_PORT: 0 }));
  });
  afterAll(async () => {
    await api?.close();
    await h?.close();
    await Promise.all([sim?.close(), receiver?.close()]);
  });

  it('serves every gauge from the API alone, each counter series from the process that counted it, and the gauges match Redis', async () => {
    const keys = new Keys(h.prefix);
    const states = new AccountStates(h.redis, keys, { maxRepeats: 2, lockoutMs: 60_000 });
    await states.strike('tim', 'resting_1', 60_000, 30540);
    await states.strike('tim', 'locked_1', 60_000, 30540);
    await states.strike('tim', 'locked_1', 60_000, 30540);
    await states.park('gewe', 'wx_parked', 'offline');
    await states.pause('gewe', 'wx_paused');
    await new GeweRegistry(h.redis, keys, 72 * 3600_000).tierOf('wx_parked', Date.now());
    const pacer = new GewePacer(h.redis, keys, h.config.gewe.timeZone, systemClock);
    await pacer.begin('wx_parked', 'job-1', 0, 'add', 5);
    await pacer.begin('wx_parked', 'job-2', 0, 'add', 5);
    // A 60007 penalty, stamped ahead so that it cannot climb back while the test runs on a slow machine.
    await h.redis.hset(keys.timGate(TEST_SDKAPPID), 'prate', '50', 'pat', String(Date.now() + 600_000));
    await h.input.add('tim', { requestId: 'once-1', fromAccount: 'alice', targets: timTargets(['ok_1', 'ok_2', 'pending_1']) });
    await h.results.waitForCount(3, 20_000, 'once-1');
    await waitFor('the webhook delivered', () => receiver.accepted().length > 0);
    await h.input.add('tim', { requestId: 'later' }, { delay: 600_000 });

    const urls = [`${api.url}/metrics`, ...workers.map((w) => `http://127.0.0.1:${w.metrics.server!.port}/metrics`)];
    const scrapes = await waitFor('the results and webhook deliveries counted', async () => {
      const all = await Promise.all(urls.map(scrapeTyped));
      const total = (name: string, labels: Record<string, string>) => all.reduce((n, s) => n + sampleSum(s.samples, name, labels), 0);
      const delivered = total('friend_add_webhook_deliveries_total', { result: 'delivered' });
      return delivered === receiver.accepted().length && total('friend_add_results_total', { provider: 'tim' }) === 3 ? all : undefined;
    });

    // No series twice in one scrape, and no gauge series in two scrapes.
    const gaugeHomes = new Map<string, number[]>();
    scrapes.forEach(({ samples, gauges }, i) => {
      const ids = samples.filter((s) => !perProcess(s.name)).map(seriesId);
      expect(new Set(ids).size, `scrape ${i} repeats a series`).toBe(ids.length);
      for (const s of samples) if (gauges.has(s.name) && !perProcess(s.name)) gaugeHomes.set(seriesId(s), [...(gaugeHomes.get(seriesId(s)) ?? []), i]);
    });
    expect(gaugeHomes.size).toBeGreaterThan(20);
    for (const [id, homes] of gaugeHomes) expect(homes, id).toEqual([0]);

    const fromApi = scrapes[0]!.samples;
    const gauge = (name: string, labels: Record<string, string>) => sampleSum(fromApi, name, labels);
    const expected = { resting: 1, locked: 1, paused: 0, parked: 0 };
    for (const [state, n] of Object.entries(expected)) expect(gauge('friend_add_accounts', { provider: 'tim', state }), state).toBe(n);
    expect(gauge('friend_add_accounts', { provider: 'gewe', state: 'parked' })).toBe(await h.redis.zcard(keys.accountIndex('gewe', 'parked')));
    expect(gauge('friend_add_accounts', { provider: 'gewe', state: 'paused' })).toBe(1);
    expect(gauge('friend_add_accounts', { provider: 'gewe', state: 'unregistered' })).toBe(1);
    for (const queue of [h.input, h.results.queue]) {
      const counts = await queue.getJobCounts(...QUEUE_STATES);
      for (const state of QUEUE_STATES) expect(gauge('friend_add_queue_jobs', { queue: queue.name, state }), `${queue.name} ${state}`).toBe(counts[state] ?? 0);
    }
    expect(gauge('friend_add_queue_jobs', { queue: 'friend-add', state: 'delayed' })).toBe(1);
    expect(gauge('friend_add_tim_rate_per_second', { sdk_app_id: String(TEST_SDKAPPID) })).toBe(50);
    expect(gauge('friend_add_tim_rate_limit_per_second', { sdk_app_id: String(TEST_SDKAPPID) })).toBe(100);
    expect(gauge('friend_add_gewe_calls_today', { kind: 'add' })).toBe(2);
    expect(gauge('friend_add_gewe_accounts_at_cap', { kind: 'add' })).toBe(0);
    expect(gauge('friend_add_provider_suspended', { provider: 'tim' })).toBe(0);

    // Counters live where they were counted: summed over the workers, each call once.
    const sum = (name: string, labels: Record<string, string> = {}) => scrapes.reduce((n, s) => n + sampleSum(s.samples, name, labels), 0);
    expect(sum('friend_add_results_total', { provider: 'tim' })).toBe(3);
    expect(sum('friend_add_webhook_deliveries_total', { result: 'delivered' })).toBe(receiver.accepted().length);
    expect(sampleSum(fromApi, 'friend_add_provider_calls_total')).toBe(0);
  });
});
