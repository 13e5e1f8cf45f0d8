import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeweSimulator } from '../../../src/sim/gewe/index.js';
import { AccountStates } from '../../../src/accounts/account-state.js';
import { resumeAccount } from '../../../src/accounts/resume-account.js';
import { JobWaker } from '../../../src/queue/job-waker.js';
import { Keys } from '../../../src/lib/keys.js';
import { createHarness, type Harness } from '../../helpers/harness.js';
import { geweEnv, geweJob, startTestGeweSim } from '../../helpers/gewe-sim.js';
import { waitFor } from '../../helpers/wait-for.js';

/** Every kind of GeWe answer, through the whole pipeline, to its one result. */
describe('GeWe outcomes', () => {
  let sim: GeweSimulator;
  let h: Harness;
  let accounts: AccountStates;

  beforeAll(async () => {
    sim = await startTestGeweSim();
    h = createHarness('gewe-outcomes', geweEnv(sim, { HTTP_TIMEOUT_MS: 300, GEWE_STRIKE_BACKOFF_MS: 400, STRIKE_MAX_REPEATS: 2 }));
    accounts = new AccountStates(h.redis, new Keys(h.prefix));
    await h.startWorker();
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  const callsOf = (appId: string) => sim.arrivals().filter((a) => a.appId === appId);
  const one = async (requestId: string, data: Record<string, unknown>) => {
    await h.input.add('gewe', { requestId, ...data });
    const [result] = await h.results.waitForCount(1, 15_000, requestId);
    return result!;
  };

  it('maps success by option: add → requested, accept → added, reject → declined', async () => {
    expect(await one('add', geweJob('wx_ok', 'v3_ok_1'))).toMatchObject({ outcome: 'requested', code: 200, attempts: 1, target: 'v3_ok_1' });
    expect(await one('accept', geweJob('wx_ok', 'v3_ok_2', { option: 3, scene: 17 }))).toMatchObject({ outcome: 'added' });
    expect(await one('reject', geweJob('wx_ok', 'v3_ok_3', { option: 4, scene: 17 }))).toMatchObject({ outcome: 'declined' });
  });

  it('refuses a known final answer; retries an accept after a 502, never an add', async () => {
    expect(await one('final', geweJob('wx_f', 'v3_final_1'))).toMatchObject({ outcome: 'refused', code: 500 });
    expect(await one('transient', geweJob('wx_t', 'v3_transient1_x', { option: 3, scene: 17 }))).toMatchObject({ outcome: 'added', attempts: 2 });
    expect(callsOf('wx_t')).toHaveLength(2);
    const add = await one('transient-add', geweJob('wx_t2', 'v3_transient1_y'));
    expect(add).toMatchObject({ outcome: 'failed', code: 'unconfirmed', attempts: 1 });
    expect(add.info).toMatch(/^HTTP 502 with an HTML body.*the add may have been made/);
    expect(callsOf('wx_t2')).toHaveLength(1);
  });

  it('ends an unknown answer failed without calling again', async () => {
    expect(await one('unknown', geweJob('wx_u', 'v3_unknown_1'))).toMatchObject({ outcome: 'failed', code: 500, attempts: 1 });
    expect(callsOf('wx_u')).toHaveLength(1);
  });

  it('never sends an add twice after an ambiguous timeout', async () => {
    expect(await one('hang', geweJob('wx_h', 'v3_hang_1'))).toMatchObject({ outcome: 'failed', code: 'unconfirmed', attempts: 1 });
    expect(callsOf('wx_h')).toHaveLength(1);
  });

  it('retries an accept after a timeout: it is safe to repeat', async () => {
    const result = await one('hang-accept', geweJob('wx_ha', 'v3_hang_2', { option: 3, scene: 17 }));
    expect(result).toMatchObject({ outcome: 'failed', code: 'timeout', attempts: h.config.maxAttempts });
    expect(callsOf('wx_ha')).toHaveLength(h.config.maxAttempts);
  });

  it('rests the account after a frequency answer, and fails after STRIKE_MAX_REPEATS in a row', async () => {
    const result = await one('freq', geweJob('wx_freq', 'v3_freq_1'));
    expect(result).toMatchObject({ outcome: 'failed', code: 500, attempts: 0 });
    const calls = callsOf('wx_freq');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(400 - 5);
  });

  it('refuses a target whose ticket (v4) is stale, and goes on with the account', async () => {
    const stale = await one('ticket', geweJob('wx_ticket', 'v3_ticket_1'));
    expect(stale).toMatchObject({ outcome: 'refused', code: 500, attempts: 1, info: '添加好友失败 (data.code=-2: user ticket invalid)' });
    expect(await accounts.read('gewe', 'wx_ticket')).toMatchObject({ parked: false, strikes: 0 });
    expect(await one('after-ticket', geweJob('wx_ticket', 'v3_ok_after'))).toMatchObject({ outcome: 'requested', attempts: 1 });
  });

  it("keeps a parked account's jobs waiting delayed, with no call, until resumed", async () => {
    await accounts.park('gewe', 'wx_parked', 'operator');
    const job = await h.input.add('gewe', { requestId: 'parked-wait', ...geweJob('wx_parked', 'v3_ok_p') });
    await waitFor('the job to wait delayed', async () => (await job.getState()) === 'delayed');
    expect(callsOf('wx_parked')).toHaveLength(0);
    await resumeAccount(accounts, new JobWaker(h.input), 'gewe', 'wx_parked');
    // Woken by the resume, not by the 30 s look-again.
    const [result] = await h.results.waitForCount(1, 5_000, 'parked-wait');
    expect(result).toMatchObject({ outcome: 'requested', attempts: 1 });
  });

  it('refuses an add with an empty content as invalid_input, naming content, without a call', async () => {
    const job = await h.input.add('gewe', { requestId: 'empty-content', ...geweJob('wx_empty', 'v3_ok_empty', { content: '' }) });
    const [result] = await h.results.waitForCount(1, 10_000, 'empty-content');
    expect(result).toMatchObject({ target: 'v3_ok_empty', outcome: 'refused', code: 'invalid_input' });
    expect(result!.info).toMatch(/content/);
    await waitFor('the job to fail', async () => (await job.getState()) === 'failed');
    expect((await h.input.getJob(job.id!))!.failedReason).toMatch(/content must not be empty when option is 2/);
    expect(callsOf('wx_empty')).toHaveLength(0);
  });

  it('refuses malformed gewe jobs with invalid_input, naming the field', async () => {
    const job = await h.input.add('gewe', { requestId: 'bad', ...geweJob('wx_bad', 'v3_ok_bad', { scene: 5 }) });
    const [result] = await h.results.waitForCount(1, 10_000, 'bad');
    expect(result).toMatchObject({ target: 'v3_ok_bad', outcome: 'refused', code: 'invalid_input' });
    await waitFor('the job to fail', async () => (await job.getState()) === 'failed');
    expect((await h.input.getJob(job.id!))!.failedReason).toMatch(/scene/);
  });
});
