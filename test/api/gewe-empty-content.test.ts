import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareGewe } from '../../src/client/prepare-gewe.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { jobsOf } from '../client/queue-helpers.js';
import { buildTestApi, geweItem } from './api-helpers.js';

/** The contract: "content may be empty for 3 and 4", so not for an add (2). Refused before the queue. */
describe('GeWe content: empty only for accepts and rejects', () => {
  let h: Harness;
  let app: FastifyInstance;
  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/gewe/add-contacts', payload: payload as object });

  beforeAll(async () => {
    h = createHarness('api-gewe-content');
    app = await buildTestApi(h);
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('the library refuses an add with an empty content, naming the field', () => {
    expect(() => prepareGewe(geweItem('v3_lib', { content: '' }))).toThrow(/content must not be empty when option is 2/);
    expect(() => prepareGewe({ items: [geweItem('v3_a'), geweItem('v3_b', { content: '' })] })).toThrow(/content/);
  });

  it('the API answers 400 naming content (and the item), and adds no job', async () => {
    const one = await post({ requestId: 'empty-1', ...geweItem('v3_one', { content: '' }) });
    expect([one.statusCode, one.json()]).toEqual([400, expect.objectContaining({ field: 'content' })]);
    const many = await post({ requestId: 'empty-2', items: [geweItem('v3_a'), geweItem('v3_b', { content: '' })] });
    expect([many.statusCode, many.json()]).toEqual([400, expect.objectContaining({ field: 'items.1.content', index: 1 })]);
    expect(await jobsOf(h.input, 'empty-1')).toHaveLength(0);
    expect(await jobsOf(h.input, 'empty-2')).toHaveLength(0);
  });

  it('the API takes an accept and a reject with an empty content', async () => {
    const items = [geweItem('v3_acc', { option: 3, scene: 6, content: '' }), geweItem('v3_rej', { option: 4, scene: 6, content: '' })];
    const res = await post({ requestId: 'empty-ok', items });
    expect([res.statusCode, res.json()]).toEqual([202, { requestId: 'empty-ok', jobs: 2, targets: 2 }]);
  });
});
