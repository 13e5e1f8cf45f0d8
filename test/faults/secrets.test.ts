import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startApi, type RunningApi } from '../../src/api/start-api.js';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import type { GeweSimulator } from '../../src/sim/gewe/index.js';
import { createHarness, TEST_GEWE_TOKEN, TEST_TIM_KEY, type Harness } from '../helpers/harness.js';
import { caseTimeoutMs } from '../helpers/faults-mode.js';
import { startCase } from '../helpers/faults-summary.js';
import { geweEnv, geweJob, startTestGeweSim } from '../helpers/gewe-sim.js';
import { captureLogs } from '../helpers/log-sink.js';
import { dumpPrefix } from '../helpers/redis-dump.js';
import { TapProxy } from '../helpers/tap-proxy.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';
import { waitFor } from '../helpers/wait-for.js';
import type { WorkerProcess } from '../helpers/worker-process.js';

const API_TOKEN = 'test-api-token-7d1e0c4b2a9f';

/**
 * After a run through the API and two worker processes logging at debug, with transport faults,
 * an expired UserSig and a malformed job: no secret is in any log line or any key under the
 * prefix. The UserSigs are the ones the workers really sent, read by a proxy in front of TIM.
 */
describe('faults: secrets', () => {
  let tim: TimSimulator;
  let gewe: GeweSimulator;
  let timTap: TapProxy;
  let geweTap: TapProxy;
  let h: Harness;
  let workers: WorkerProcess[];
  let api: RunningApi;
  const apiLogs = captureLogs('debug');

  beforeAll(async () => {
    [tim, gewe] = await Promise.all([startTestTimSim({ ratePerSec: 1000 }), startTestGeweSim()]);
    [timTap, geweTap] = await Promise.all([new TapProxy(tim.url).start(), new TapProxy(gewe.url).start()]);
    const env = { ...timEnv(tim), ...geweEnv(gewe), TIM_BASE_URL: timTap.url, GEWE_BASE_URL: geweTap.url, API_TOKEN, HTTP_TIMEOUT_MS: 300, MAX_ATTEMPTS: 3 };
    h = createHarness('faults-secrets', env);
    workers = await Promise.all([h.spawnWorker({ LOG_LEVEL: 'debug' }), h.spawnWorker({ LOG_LEVEL: 'debug' })]);
    api = await startApi(h.config, apiLogs.logger, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await api.close();
    await h.close();
    await Promise.all([timTap.close(), geweTap.close()]);
    await Promise.all([tim.close(), gewe.close()]);
  });

  const post = (path: string, body: unknown, token: string | undefined = API_TOKEN) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it(
    'keeps the TIM key, every UserSig sent, the GeWe token and the API token out of logs and Redis',
    async () => {
      const done = startCase('secrets');
      for (const kind of ['502html', 'reset', 'truncated', 'slowbody', 'hang', '70001', '60007'] as const) tim.injectFault(kind, 1, 1000);
      for (const kind of ['502html', 'reset', 'truncated', 'hang'] as const) gewe.injectFault(kind, 1);
      const names = Array.from({ length: 40 }, (_, i) => (i % 10 === 9 ? `transient1_${i}` : `ok_${i}`));
      const submits = [
        post('/v1/tim/friend-add', { requestId: 'sec-tim', fromAccount: 'acct_sec', targets: timTargets(names) }),
        ...Array.from({ length: 8 }, (_, i) =>
          post('/v1/tim/friend-add', { requestId: `sec-tim-${i}`, fromAccount: `acct_sec_${i}`, targets: timTargets([`ok_s${i}`]) }),
        ),
        post('/v1/gewe/add-contacts', {
          requestId: 'sec-gewe',
          items: Array.from({ length: 6 }, (_, i) => geweJob(`wx_sec_${i}`, `v3_ok_sec_${i}`, { option: 3, scene: 6 })),
        }),
      ];
      expect((await Promise.all(submits)).map((r) => r.status)).toEqual(Array(submits.length).fill(202));
      expect((await post('/v1/tim/friend-add', { fromAccount: 'x', targets: [] })).status).toBe(400);
      expect((await post('/v1/tim/friend-add', { fromAccount: 'x', targets: timTargets(['y']) }, `${API_TOKEN}-wrong`)).status).toBe(401);
      const bad = await h.input.add('tim', { fromAccount: 'acct_sec', targets: 'not a list' });
      await h.results.waitForCount(names.length + 8 + 6, 60_000);
      await waitFor('the malformed job to fail', async () => (await bad.getState()) === 'failed');

      const userSigs = [...new Set(timTap.calls.map((c) => c.query.get('usersig')).filter((s): s is string => Boolean(s)))];
      const secrets: [string, string][] = [
        ['TIM_SECRET_KEY', TEST_TIM_KEY],
        ['GEWE_TOKEN', TEST_GEWE_TOKEN],
        ['API_TOKEN', API_TOKEN],
        ...userSigs.map((sig, i): [string, string] => [`UserSig#${i + 1}`, sig]),
      ];
      const haystacks: [string, string][] = [
        ...workers.map((w, i): [string, string] => [`worker${i + 1} log`, w.output]),
        ['api log', apiLogs.text()],
        ['redis dump', await dumpPrefix(h.redis as Redis, h.prefix)],
      ];
      const found: string[] = [];
      for (const [secretName, secret] of secrets) {
        for (const [where, text] of haystacks) {
          if (text.includes(secret) || text.includes(encodeURIComponent(secret))) found.push(`${secretName} in ${where}`);
        }
      }
      const logLines = haystacks.slice(0, -1).reduce((n, [, text]) => n + text.split('\n').length, 0);
      const counts = {
        targets: names.length + 14,
        lost: 0,
        duplicated: 0,
        limitViolations: 0,
        secretsFound: found.length,
        userSigsSeen: userSigs.length,
        timCalls: timTap.calls.length,
        geweCalls: geweTap.calls.length,
        logLines,
        redisDumpBytes: haystacks.at(-1)![1].length,
      };
      await done(counts, found.length === 0);
      expect(found).toEqual([]);
      expect(userSigs.length).toBeGreaterThanOrEqual(1);
      expect(haystacks.at(-1)![1]).toContain('acct_sec'); // the dump is the run's data, not an empty prefix
      expect(geweTap.calls.every((c) => c.headers['x-gewe-token'] === TEST_GEWE_TOKEN)).toBe(true);
      expect(workers.map((w) => w.output).join('')).toContain('tim friend_add call');
    },
    caseTimeoutMs(90_000, 120_000),
  );
});
