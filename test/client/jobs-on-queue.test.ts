import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { timTargets } from '../helpers/tim-sim.js';
import { createFriendAddClient, type FriendAddClient } from '../../src/client/friend-add-client.js';
import { jobIdStem } from '../../src/client/request-identity.js';
import { InvalidInputError } from '../../src/domain/errors.js';
import { jobsOf } from './queue-helpers.js';

/** What a submit puts on `friend-add`, with no worker taking it. */
describe('library submit: the jobs on the queue', () => {
  let h: Harness;
  let client: FriendAddClient;

  beforeAll(() => {
    h = createHarness('client-jobs');
    client = createFriendAddClient({ connection: h.redis, config: h.config });
  });
  afterAll(async () => {
    await client.close();
    await h.close();
  });

  it('de-duplicates across the request and cuts jobs of at most 1000: 2,300 targets with 100 repeats → 3 jobs', async () => {
    const names = Array.from({ length: 2200 }, (_, i) => `ok_${i}`);
    const targets = timTargets([...names.slice(0, 1500), ...names.slice(0, 100), ...names.slice(1500)]);
    expect(targets).toHaveLength(2300);
    const submitted = await client.submitTim({ requestId: 'cut', fromAccount: 'alice', targets });
    expect(submitted).toEqual({ requestId: 'cut', jobs: 3, targets: 2200 });
    const jobs = (await jobsOf(h.input, 'cut')).sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(jobs.map((j) => j.data.targets.length)).toEqual([1000, 1000, 200]);
    const stem = jobIdStem('tim', 'cut');
    expect(jobs.map((j) => j.id)).toEqual([`${stem}-0`, `${stem}-1`, `${stem}-2`]);
    expect(jobs.every((j) => j.name === 'tim' && !String(j.id).includes(':'))).toBe(true);
    expect(new Set(jobs.flatMap((j) => j.data.targets.map((t: { toAccount: string }) => t.toAccount))).size).toBe(2200);
    const status = await client.getRequest('cut');
    expect(status).toMatchObject({ provider: 'tim', total: 2200, open: 2200, jobs: 3, submitted: true, cancelled: false });
  });

  it('maps priority to the BullMQ job priority', async () => {
    await client.submitTim({ requestId: 'urgent', fromAccount: 'bob', targets: timTargets(['ok_u']) }, { priority: 5 });
    await client.submitTim({ requestId: 'plain', fromAccount: 'bob', targets: timTargets(['ok_p']) });
    const [urgent] = await jobsOf(h.input, 'urgent');
    const [plain] = await jobsOf(h.input, 'plain');
    expect([urgent!.opts.priority, await urgent!.getState()]).toEqual([5, 'prioritized']);
    expect([plain!.opts.priority ?? 0, await plain!.getState()]).toEqual([0, 'waiting']);
  });

  it('refuses a bad priority before anything reaches the queue', async () => {
    const submit = client.submitTim({ requestId: 'badprio', fromAccount: 'bob', targets: timTargets(['ok_b']) }, { priority: 1.5 });
    await expect(submit).rejects.toThrow(InvalidInputError);
    expect(await jobsOf(h.input, 'badprio')).toHaveLength(0);
    expect(await client.getRequest('badprio')).toBeNull();
  });

  it('puts one gewe job per item, under one requestId', async () => {
    const item = (v3: string) => ({ appId: 'wx_q', scene: 3, option: 2, v3, v4: 'v4', content: 'hi' });
    const submitted = await client.submitGewe({ requestId: 'g-items', items: [item('v3_a'), item('v3_b'), item('v3_c')] });
    expect(submitted).toEqual({ requestId: 'g-items', jobs: 3, targets: 3 });
    const jobs = await jobsOf(h.input, 'g-items');
    expect(jobs.map((j) => [j.name, j.data.v3]).sort()).toEqual([
      ['gewe', 'v3_a'],
      ['gewe', 'v3_b'],
      ['gewe', 'v3_c'],
    ]);
    expect(await client.getRequest('g-items')).toMatchObject({ provider: 'gewe', total: 3, open: 3, jobs: 3 });
  });

  it('stores nothing for input it refuses', async () => {
    const bad = { requestId: 'refused', fromAccount: 'bob', targets: [{ toAccount: 'x', addSource: 'nope' }] };
    await expect(client.submitTim(bad)).rejects.toMatchObject({ field: 'targets.0.addSource', index: 0 });
    expect(await client.getRequest('refused')).toBeNull();
    expect(await jobsOf(h.input, 'refused')).toHaveLength(0);
  });
});
