import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { startTestTimSim, timEnv } from '../helpers/tim-sim.js';
import { waitFor } from '../helpers/wait-for.js';
import { buildTestApi, timBody } from './api-helpers.js';

describe('API: requests', () => {
  let sim: TimSimulator;
  let h: Harness;
  let app: FastifyInstance;
  const post = (url: string, payload?: unknown) => app.inject({ method: 'POST', url, ...(payload ? { payload: payload as object } : {}) });
  const get = (url: string) => app.inject({ method: 'GET', url });

  beforeAll(async () => {
    sim = await startTestTimSim({ ratePerSec: 100 });
    h = createHarness('api-requests', timEnv(sim, { RETRY_BASE_MS: 20 }));
    app = await buildTestApi(h);
    await h.startWorker();
  });
  afterAll(async () => {
    await app.close();
    await h.close();
    await sim.close();
  });

  it('GET /v1/requests/:id answers totals, open, results and pending; 404 when unknown', async () => {
    expect((await post('/v1/tim/friend-add', timBody('st', ['ok_1', 'unknown_2', 'black_3']))).statusCode).toBe(202);
    const results = await h.results.waitForCount(3, 10_000, 'st');
    const status = await waitFor('three finals in the status', async () => {
      const res = await get('/v1/requests/st');
      return res.json().open === 0 ? res : undefined;
    });
    expect(status.statusCode).toBe(200);
    const body = status.json();
    expect(body).toMatchObject({
      requestId: 'st',
      provider: 'tim',
      total: 3,
      open: 0,
      jobs: 1,
      cancelled: false,
      submitted: true,
      resultCount: 3,
      pending: [],
    });
    expect(body.totals).toEqual({ added: 1, requested: 0, declined: 0, already_friends: 0, refused: 1, failed: 1, cancelled: 0 });
    expect(body.results.map((r: { target: string }) => r.target).sort()).toEqual(results.map((r) => r.target).sort());
    const page = (await get('/v1/requests/st?offset=1&limit=1')).json();
    expect([page.offset, page.limit, page.results]).toEqual([1, 1, [body.results[1]]]);
    expect((await get('/v1/requests/st?limit=zero')).json()).toMatchObject({ field: 'limit' });

    const unknown = await get('/v1/requests/nope');
    expect([unknown.statusCode, unknown.json()]).toEqual([404, { error: 'unknown request nope', requestId: 'nope' }]);
  });

  it('POST /v1/requests/:id/retry-failed answers 202 with the new request, 200 when nothing failed, 404 when unknown', async () => {
    const retry = await post('/v1/requests/st/retry-failed');
    expect([retry.statusCode, retry.json()]).toEqual([202, { requestId: 'st-retry-1', jobs: 1, targets: 1 }]);
    const again = await h.results.waitForCount(1, 10_000, 'st-retry-1');
    expect(again.map((r) => [r.target, r.outcome])).toEqual([['unknown_2', 'failed']]);

    await post('/v1/tim/friend-add', timBody('fine', ['ok_f']));
    await h.results.waitForCount(1, 10_000, 'fine');
    const none = await post('/v1/requests/fine/retry-failed');
    expect([none.statusCode, none.json()]).toEqual([200, { requestId: null, jobs: 0, targets: 0 }]);
    expect((await post('/v1/requests/nope/retry-failed')).statusCode).toBe(404);
  });

  it('POST /v1/requests/:id/cancel answers 202 and ends the targets not yet called cancelled; 404 when unknown', async () => {
    await post('/v1/accounts/tim/bob/pause');
    expect((await post('/v1/tim/friend-add', timBody('stop', ['ok_s1', 'ok_s2'], { fromAccount: 'bob' }))).statusCode).toBe(202);
    const cancel = await post('/v1/requests/stop/cancel');
    expect([cancel.statusCode, cancel.json()]).toEqual([202, expect.objectContaining({ requestId: 'stop', cancelled: true })]);
    const results = await h.results.waitForCount(2, 10_000, 'stop');
    expect(results.map((r) => r.outcome)).toEqual(['cancelled', 'cancelled']);
    expect((await get('/v1/requests/stop')).json()).toMatchObject({ cancelled: true, open: 0, totals: { cancelled: 2 } });
    expect((await post('/v1/requests/nope/cancel')).statusCode).toBe(404);
    await post('/v1/accounts/tim/bob/resume');
  });
});
