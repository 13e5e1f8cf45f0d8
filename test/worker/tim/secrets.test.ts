import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../../src/sim/tim/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import type { RunningWorker } from '../../../src/app/start-worker.js';
import { createHarness, TEST_TIM_KEY, type Harness } from '../../helpers/harness.js';
import { dumpPrefix } from '../../helpers/redis-dump.js';
import { startTestTimSim, timEnv, timTargets } from '../../helpers/tim-sim.js';
import { waitFor } from '../../helpers/wait-for.js';

/** The TIM key and the UserSigs never reach logs, failed jobs or Redis. */
describe('secrets', () => {
  let sim: TimSimulator;
  let h: Harness;
  let worker: RunningWorker;
  let logs = '';

  beforeAll(async () => {
    sim = await startTestTimSim();
    h = createHarness('tim-secrets', timEnv(sim, { HTTP_TIMEOUT_MS: 300, RETRY_BASE_MS: 20, MAX_ATTEMPTS: 2 }));
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        logs += chunk.toString();
        done();
      },
    });
    worker = await h.startWorker(createLogger({ level: 'trace', destination: sink }));
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  it('keeps them out of logs, failed jobs and every Redis key, through errors and timeouts', async () => {
    sim.injectFault('502html', 1);
    sim.injectFault('reset', 1);
    await h.input.add('tim', { requestId: 'sec', fromAccount: 'acct_sec', targets: timTargets(['ok_1', 'hang_2', 'transient1_3']) });
    const bad = await h.input.add('tim', { fromAccount: 'acct_sec', targets: 'nope' });
    await h.results.waitForCount(3, 20_000, 'sec');
    await waitFor('the bad job to fail', async () => (await bad.getState()) === 'failed');

    const userSig = worker.parts.userSig!.get();
    const forbidden = [TEST_TIM_KEY, userSig, encodeURIComponent(userSig)];
    expect(logs).toContain('tim friend_add call');
    const failed = await h.input.getJob(bad.id!);
    const failedText = `${failed!.failedReason}\n${(failed!.stacktrace ?? []).join('\n')}`;
    const dump = await dumpPrefix(h.redis as Redis, h.prefix);
    for (const secret of forbidden) {
      expect(logs).not.toContain(secret);
      expect(failedText).not.toContain(secret);
      expect(dump).not.toContain(secret);
    }
    expect(logs).not.toMatch(/usersig=/i);
    expect(dump).not.toMatch(/usersig=/i);
  });
});
