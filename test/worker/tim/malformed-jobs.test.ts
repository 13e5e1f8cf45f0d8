import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import type { TimSimulator } from '../../../src/sim/tim/index.js';
import { createHarness, TEST_SDKAPPID, type Harness } from '../../helpers/harness.js';
import { startTestTimSim, timEnv, timTargets } from '../../helpers/tim-sim.js';
import { waitFor } from '../../helpers/wait-for.js';

/** Bad input gets a clear error naming the field, its known targets a result, and the worker goes on. */
describe('malformed tim jobs', () => {
  let sim: TimSimulator;
  let h: Harness;

  beforeAll(async () => {
    sim = await startTestTimSim();
    h = createHarness('tim-malformed', timEnv(sim));
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  const failedReason = async (job: Job) =>
    waitFor('the job to fail', async () => ((await job.getState()) === 'failed' ? (await h.input.getJob(job.id!))!.failedReason : undefined));

  it('fails a job without fromAccount at once, naming the field, and refuses its targets', async () => {
    const job = await h.input.add('tim', { requestId: 'nofrom', targets: timTargets(['ok_a', 'ok_b']) });
    expect(await failedReason(job)).toMatch(/fromAccount/);
    const results = await h.results.waitForCount(2, 10_000, 'nofrom');
    expect(results.map((r) => [r.target, r.outcome, r.code])).toEqual([
      ['ok_a', 'refused', 'invalid_input'],
      ['ok_b', 'refused', 'invalid_input'],
    ]);
    expect((await h.input.getJob(job.id!))!.attemptsMade).toBeLessThanOrEqual(1);
  });

  it('fails a job whose targets are not a list, naming the field', async () => {
    const job = await h.input.add('tim', { fromAccount: 'x', targets: 'bob' });
    expect(await failedReason(job)).toMatch(/targets/);
  });

  it('names the target field at fault', async () => {
    const job = await h.input.add('tim', { fromAccount: 'x', targets: [{ toAccount: 'ok_1', addSource: 'AddSource_Type_Web' }, { toAccount: 7 }] });
    expect(await failedReason(job)).toMatch(/targets\.1\.toAccount/);
  });

  it('refuses a target that breaks a byte limit alone; the rest go ahead', async () => {
    const targets = [...timTargets(['ok_fine']), { toAccount: 'ok_long', addSource: 'AddSource_Type_Web', remark: '好'.repeat(33) }];
    await h.input.add('tim', { requestId: 'bytes', fromAccount: 'acct_bytes', targets });
    const results = await h.results.waitForCount(2, 10_000, 'bytes');
    const byName = Object.fromEntries(results.map((r) => [r.target, [r.outcome, r.code]]));
    expect(byName).toEqual({ ok_fine: ['added', 0], ok_long: ['refused', 'invalid_input'] });
    expect(results.find((r) => r.target === 'ok_long')!.info).toMatch(/remark/);
  });

  it('refuses every target of a job for another SDKAppID', async () => {
    const job = await h.input.add('tim', { requestId: 'otherapp', sdkAppId: TEST_SDKAPPID + 1, fromAccount: 'x', targets: timTargets(['ok_o']) });
    expect(await failedReason(job)).toMatch(/sdkAppId/);
    const [result] = await h.results.waitForCount(1, 10_000, 'otherapp');
    expect(result).toMatchObject({ outcome: 'refused', code: 'invalid_input' });
  });

  it('fails a job of an unknown name, and good jobs after all of these still finish', async () => {
    const odd = await h.input.add('tom', { fromAccount: 'x', targets: timTargets(['ok_t']) });
    expect(await failedReason(odd)).toMatch(/name/);
    await h.input.add('tim', { requestId: 'after', fromAccount: 'acct_after', targets: timTargets(['ok_after']) });
    const [result] = await h.results.waitForCount(1, 10_000, 'after');
    expect(result).toMatchObject({ outcome: 'added' });
  });
});
