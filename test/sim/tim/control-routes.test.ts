import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTimSimulator, type Arrival, type TimSimulator } from '../../../src/sim/tim/index.js';
import { APP, KEY, addBody, callTim } from './helpers.js';

describe('control routes', () => {
  let sim: TimSimulator;
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.url}/_sim/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    sim = await startTimSimulator({ sdkAppId: APP, secretKey: KEY, latencyMs: 0 });
  });
  afterAll(() => sim.close());

  it('serves the arrivals, the violations and the stats as JSON', async () => {
    sim.reset();
    await callTim(sim.url, addBody('alice', ['ok1']));
    const arrivals = (await (await control('GET', 'arrivals')).json()) as Arrival[];
    expect(arrivals).toEqual(sim.arrivals());
    expect(await (await control('GET', 'violations')).json()).toEqual([]);
    expect(await (await control('GET', 'stats')).json()).toMatchObject({ calls: 1, targets: 1 });
  });

  it('is not logged as arrivals', async () => {
    sim.reset();
    await control('GET', 'stats');
    expect(sim.arrivals()).toEqual([]);
  });

  it('injects faults', async () => {
    sim.reset();
    expect((await control('POST', 'fault', { kind: '502html', count: 2 })).status).toBe(204);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await callTim(sim.url, addBody('alice', [`ok${i}`]))).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect((await control('POST', 'fault', { kind: 'slowbody', ms: 50 })).status).toBe(204);
    expect(sim.stats().faultsPending).toBe(1);
  });

  it('refuses a bad fault with 400', async () => {
    expect((await control('POST', 'fault', { kind: 'meteor' })).status).toBe(400);
    expect((await control('POST', 'fault', { kind: 'hang', count: 0 })).status).toBe(400);
    expect((await fetch(`${sim.url}/_sim/fault`, { method: 'POST', body: 'nope' })).status).toBe(400);
  });

  it('resets', async () => {
    await callTim(sim.url, addBody('alice', ['ok1']));
    expect((await control('POST', 'reset')).status).toBe(204);
    expect(sim.arrivals()).toEqual([]);
    expect(sim.stats().faultsPending).toBe(0);
  });

  it('answers 404 to unknown control routes', async () => {
    expect((await control('GET', 'nothing')).status).toBe(404);
    expect((await control('GET', 'reset')).status).toBe(404);
  });
});
