import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import type { Harness } from '../helpers/harness.js';
import { startLibraryWorld, stopLibraryWorld } from '../helpers/library-world.js';
import { TEST_GEWE_TOKEN } from '../helpers/harness.js';
import { byTarget } from '../helpers/results.js';
import { startTestTimSim, timEnv, timTargets } from '../helpers/tim-sim.js';
import type { FriendAddClient } from '../../src/client/friend-add-client.js';
import { RequestConflictError } from '../../src/client/errors.js';
import { allJobs, jobsOf } from './queue-helpers.js';

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `ok_${prefix}${i}`);

describe('library submit: idempotent by requestId', () => {
  let sim: TimSimulator;
  let h: Harness;
  let client: FriendAddClient;
  const callsOf = (fromAccount: string) =>
    sim
      .arrivals()
      .filter((a) => a.fromAccount === fromAccount)
      .map((a) => a.count);

  beforeAll(async () => {
    const timSim = await startTestTimSim({ ratePerSec: 100 });
    ({ sim, h, client } = await startLibraryWorld(
      timSim,
      'client-idem',
      timEnv(timSim, { RETRY_BASE_MS: 20, PROVIDERS: 'tim,gewe', GEWE_TOKEN: TEST_GEWE_TOKEN }),
    ));
  });
  afterAll(() => stopLibraryWorld({ sim, h, client }));

  it('adds no job and makes no call when the same request is submitted again', async () => {
    const request = { requestId: 'twice', fromAccount: 'alice', targets: timTargets(names('t', 2500)) };
    const first = await client.submitTim(request);
    expect(first).toEqual({ requestId: 'twice', jobs: 3, targets: 2500 });
    await h.results.waitForCount(2500, 30_000, 'twice');
    const jobsBefore = (await allJobs(h.input)).length;
    const callsBefore = callsOf('alice');
    expect(callsBefore.reduce((a, b) => a + b, 0)).toBe(2500);

    const again = await client.submitTim(request);
    expect(again).toEqual(first);
    expect((await allJobs(h.input)).length).toBe(jobsBefore);
    expect(callsOf('alice')).toEqual(callsBefore);
    expect(await client.getRequest('twice')).toMatchObject({ total: 2500, open: 0, jobs: 3, submitted: true });
  });

  it('adds every job once when a submit killed halfway is repeated', async () => {
    const request = { requestId: 'half', fromAccount: 'bob', targets: timTargets(names('h', 2500)) };
    // The crash: marked, then only the first of three addBulk calls made.
    await client.submitTim(request, {}, { jobsPerBulk: 1, stopAfterBulks: 1 });
    expect(await jobsOf(h.input, 'half')).toHaveLength(1);
    expect(await client.getRequest('half')).toMatchObject({ total: 2500, jobs: 3, submitted: false });

    expect(await client.submitTim(request)).toEqual({ requestId: 'half', jobs: 3, targets: 2500 });
    const jobs = await jobsOf(h.input, 'half');
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(3);
    const results = await h.results.waitForCount(2500, 30_000, 'half');
    for (const [, list] of byTarget(results)) expect(list).toHaveLength(1);
    expect(callsOf('bob').reduce((a, b) => a + b, 0)).toBe(2500);
    expect(await client.getRequest('half')).toMatchObject({ total: 2500, open: 0, submitted: true, totals: { added: 2500 } });
  });

  it('refuses the same requestId with other content, and adds nothing', async () => {
    await client.submitTim({ requestId: 'content', fromAccount: 'carol', targets: timTargets(['ok_c1']) });
    const jobsBefore = (await allJobs(h.input)).length;
    const other = client.submitTim({ requestId: 'content', fromAccount: 'carol', targets: timTargets(['ok_c1', 'ok_c2']) });
    await expect(other).rejects.toThrow(RequestConflictError);
    await expect(other).rejects.toThrow(/other content/);
    const gewe = client.submitGewe({ requestId: 'content', appId: 'wx', scene: 3, option: 2, v3: 'v3', v4: 'v4', content: 'hi' });
    await expect(gewe).rejects.toThrow(RequestConflictError);
    expect((await allJobs(h.input)).length).toBe(jobsBefore);
  });

  it('treats the same targets in another order of duplicates as the same content', async () => {
    const a = timTargets(['ok_d1', 'ok_d2', 'ok_d1']);
    const b = timTargets(['ok_d1', 'ok_d2', 'ok_d2']);
    await client.submitTim({ requestId: 'same-content', fromAccount: 'dave', targets: a });
    await expect(client.submitTim({ requestId: 'same-content', fromAccount: 'dave', targets: b })).resolves.toMatchObject({ jobs: 1 });
  });

  it('refuses a requestId already used by jobs added to the queue directly', async () => {
    await h.input.add('tim', { requestId: 'direct', fromAccount: 'erin', targets: timTargets(['ok_e1']) });
    await h.results.waitForCount(1, 10_000, 'direct');
    await expect(client.submitTim({ requestId: 'direct', fromAccount: 'erin', targets: timTargets(['ok_e1']) })).rejects.toThrow(/added to the queue directly/);
  });
});
