import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { jobsOf } from '../client/queue-helpers.js';
import { buildTestApi, geweItem, timBody } from './api-helpers.js';

describe('API: submits', () => {
  let h: Harness;
  let app: FastifyInstance;
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });

  beforeAll(async () => {
    h = createHarness('api-submit');
    app = await buildTestApi(h);
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('POST /v1/tim/friend-add answers 202 with the requestId and the jobs', async () => {
    const res = await post('/v1/tim/friend-add', timBody('t1', ['ok_1', 'ok_2', 'ok_1']));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ requestId: 't1', jobs: 1, targets: 2 });
    expect(await jobsOf(h.input, 't1')).toHaveLength(1);
  });

  it('answers 202 again, adding nothing, for the same request; 409 for other content', async () => {
    expect((await post('/v1/tim/friend-add', timBody('t1', ['ok_1', 'ok_2']))).statusCode).toBe(202);
    expect(await jobsOf(h.input, 't1')).toHaveLength(1);
    const conflict = await post('/v1/tim/friend-add', timBody('t1', ['ok_3']));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ field: 'requestId', requestId: 't1' });
  });

  it('answers 400 naming the provider for a provider the deployment does not serve, and adds no job', async () => {
    const timOnly = await buildTestApi(h, { PROVIDERS: 'tim' });
    try {
      const res = await timOnly.inject({ method: 'POST', url: '/v1/gewe/add-contacts', payload: { requestId: 'g-disabled', ...geweItem('v3_d') } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ field: 'provider', error: expect.stringMatching(/gewe is not enabled/) });
      expect(await jobsOf(h.input, 'g-disabled')).toHaveLength(0);
    } finally {
      await timOnly.close();
    }
  });

  it('makes up a requestId when the body names none', async () => {
    const res = await post('/v1/tim/friend-add', { fromAccount: 'alice', targets: [{ toAccount: 'ok_x', addSource: 'AddSource_Type_Web' }] });
    expect(res.statusCode).toBe(202);
    expect(res.json().requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("maps ?priority to the jobs' BullMQ priority, and refuses a bad one", async () => {
    expect((await post('/v1/tim/friend-add?priority=7', timBody('prio', ['ok_p']))).statusCode).toBe(202);
    const [job] = await jobsOf(h.input, 'prio');
    expect(job!.opts.priority).toBe(7);
    const bad = await post('/v1/tim/friend-add?priority=soon', timBody('prio2', ['ok_p']));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'priority' });
  });

  it.each([
    ['a target over a byte limit', timBody('b1', ['ok_1', 'ok_2', 'x'.repeat(33)]), { field: 'targets.2.toAccount', index: 2 }],
    [
      'a target of the wrong shape',
      { ...timBody('b2', ['ok_1']), targets: [{ toAccount: 'a', addSource: 'AddSource_Type_Web' }, { toAccount: 5 }] },
      { field: 'targets.1.toAccount', index: 1 },
    ],
    ['no fromAccount', { requestId: 'b3', targets: [{ toAccount: 'a', addSource: 'AddSource_Type_Web' }] }, { field: 'fromAccount' }],
    ['no targets', timBody('b4', []), { field: 'targets' }],
    ['a bad addType', timBody('b5', ['ok_1'], { addType: 'Both' }), { field: 'addType' }],
  ])('answers 400 for %s, naming the field and index', async (_what, body, expected) => {
    const res = await post('/v1/tim/friend-add', body);
    expect(res.statusCode).toBe(400);
    const reply = res.json();
    expect(reply).toMatchObject(expected);
    expect(reply.error).toEqual(expect.stringContaining(expected.field));
    if (!('index' in expected)) expect(reply.index).toBeUndefined();
    expect(await jobsOf(h.input, (body as { requestId: string }).requestId)).toHaveLength(0);
  });

  it('answers 400 naming the body for JSON it cannot read', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/tim/friend-add', headers: { 'content-type': 'application/json' }, payload: '{"fromAccount":' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: '(body)' });
  });

  it('POST /v1/gewe/add-contacts takes one item, or { requestId, items }', async () => {
    const one = await post('/v1/gewe/add-contacts', geweItem('v3_one', { requestId: 'g1' }));
    expect([one.statusCode, one.json()]).toEqual([202, { requestId: 'g1', jobs: 1, targets: 1 }]);
    const many = await post('/v1/gewe/add-contacts', { requestId: 'g2', items: [geweItem('v3_a'), geweItem('v3_b')] });
    expect([many.statusCode, many.json()]).toEqual([202, { requestId: 'g2', jobs: 2, targets: 2 }]);
    expect(await jobsOf(h.input, 'g2')).toHaveLength(2);
  });

  it('answers 400 naming items.N.field for GeWe, or the field of a single item', async () => {
    const many = await post('/v1/gewe/add-contacts', { items: [geweItem('v3_a'), geweItem('v3_b', { option: 5 })] });
    expect([many.statusCode, many.json()]).toEqual([400, expect.objectContaining({ field: 'items.1.option', index: 1 })]);
    const one = await post('/v1/gewe/add-contacts', geweItem('v3_c', { scene: 99 }));
    expect([one.statusCode, one.json()]).toEqual([400, expect.objectContaining({ field: 'scene' })]);
  });

  it('accepts a TIM request of 100,000 targets: 202 and 100 jobs', async () => {
    const targets = Array.from({ length: 100_000 }, (_, i) => ({
      toAccount: `user_${i.toString().padStart(8, '0')}`,
      addSource: 'AddSource_Type_Campaign',
      remark: 'spring campaign',
      addWording: 'hello from the spring campaign, nice to meet you',
    }));
    const payload = JSON.stringify({ requestId: 'big', fromAccount: 'alice', targets });
    expect(payload.length).toBeGreaterThan(1024 * 1024);
    const res = await app.inject({ method: 'POST', url: '/v1/tim/friend-add', headers: { 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ requestId: 'big', jobs: 100, targets: 100_000 });
    const counts = await h.input.getJobCounts('waiting');
    expect(counts.waiting).toBeGreaterThanOrEqual(100);
    expect(await jobsOf(h.input, 'big')).toHaveLength(100);
  });
});
