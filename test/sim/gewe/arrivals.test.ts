import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGeweSimulator, type GeweSimulator } from '../../../src/sim/gewe/index.js';
import { addBody, postAdd, SIM_TOKEN } from './helpers.js';

let sim: GeweSimulator;
beforeAll(async () => {
  sim = await startGeweSimulator({ token: SIM_TOKEN });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('GeWe simulator: arrivals', () => {
  it('records each call with its arrival time, appId, option and v3', async () => {
    const before = Date.now();
    await postAdd(sim.url, addBody('v3_ok_1', 'wx_a'));
    await postAdd(sim.url, addBody('v3_final_2', 'wx_a', { option: 3, scene: 17 }));
    const after = Date.now();
    const arrivals = sim.arrivals();
    expect(arrivals.map(({ appId, option, v3 }) => ({ appId, option, v3 }))).toEqual([
      { appId: 'wx_a', option: 2, v3: 'v3_ok_1' },
      { appId: 'wx_a', option: 3, v3: 'v3_final_2' },
    ]);
    for (const a of arrivals) {
      expect(a.at).toBeGreaterThanOrEqual(before - 1);
      expect(a.at).toBeLessThanOrEqual(after + 1);
      expect(a.endedAt).not.toBeNull();
    }
    expect(arrivals[0]?.gapMs).toBeNull();
    expect(arrivals[1]?.gapMs).toBeCloseTo(arrivals[1]!.at - arrivals[0]!.at, 6);
    expect(sim.violations()).toEqual([]);
  });

  it('flags a call that arrives while another of its appId is in flight', async () => {
    await Promise.all([
      postAdd(sim.url, addBody('v3_slow500_a', 'wx_busy')),
      postAdd(sim.url, addBody('v3_slow500_b', 'wx_busy')),
      // Another account may run side by side.
      postAdd(sim.url, addBody('v3_slow500_c', 'wx_other')),
    ]);
    const busy = sim.arrivals().filter((a) => a.appId === 'wx_busy');
    expect(busy.map((a) => a.overlap).sort()).toEqual([false, true]);
    expect(sim.arrivals().find((a) => a.appId === 'wx_other')?.overlap).toBe(false);
    const violations = sim.violations();
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ kind: 'overlap', appId: 'wx_busy' });
  });

  it('does not flag calls of one appId made one after another', async () => {
    for (let i = 0; i < 5; i++) await postAdd(sim.url, addBody(`v3_ok_${i}`, 'wx_seq'));
    expect(sim.arrivals()).toHaveLength(5);
    expect(sim.violations()).toEqual([]);
  });

  it('flags tooClose when spacing is below the appId minimum, and only for that appId', async () => {
    sim.setMinSpacing('wx_paced', 60_000);
    await postAdd(sim.url, addBody('v3_ok_1', 'wx_paced'));
    await postAdd(sim.url, addBody('v3_ok_2', 'wx_paced'));
    await postAdd(sim.url, addBody('v3_ok_3', 'wx_free'));
    await postAdd(sim.url, addBody('v3_ok_4', 'wx_free'));
    const flags = sim.arrivals().map((a) => [a.v3, a.tooClose]);
    expect(flags).toEqual([
      ['v3_ok_1', false],
      ['v3_ok_2', true],
      ['v3_ok_3', false],
      ['v3_ok_4', false],
    ]);
    expect(sim.violations()).toEqual([expect.objectContaining({ kind: 'tooClose', appId: 'wx_paced', v3: 'v3_ok_2', minSpacingMs: 60_000 })]);
  });

  it('does not flag calls spaced at least the minimum', async () => {
    sim.setMinSpacing('wx_paced', 30);
    await postAdd(sim.url, addBody('v3_ok_1', 'wx_paced'));
    // A deadline, not a sleep: call again once the spacing has passed.
    const first = sim.arrivals()[0]!.at;
    while (performance.timeOrigin + performance.now() < first + 40) await new Promise((r) => setTimeout(r, 5));
    await postAdd(sim.url, addBody('v3_ok_2', 'wx_paced'));
    expect(sim.arrivals()[1]?.gapMs).toBeGreaterThanOrEqual(30);
    expect(sim.violations()).toEqual([]);
  });

  it('setMinSpacing(appId, null) removes the rule', async () => {
    sim.setMinSpacing('wx_paced', 60_000);
    sim.setMinSpacing('wx_paced', null);
    await postAdd(sim.url, addBody('v3_ok_1', 'wx_paced'));
    await postAdd(sim.url, addBody('v3_ok_2', 'wx_paced'));
    expect(sim.violations()).toEqual([]);
  });

  it('reset() forgets arrivals, violations and spacing rules', async () => {
    sim.setMinSpacing('wx_paced', 60_000);
    await postAdd(sim.url, addBody('v3_ok_1', 'wx_paced'));
    await postAdd(sim.url, addBody('v3_ok_2', 'wx_paced'));
    expect(sim.violations()).toHaveLength(1);
    sim.reset();
    expect(sim.arrivals()).toEqual([]);
    await postAdd(sim.url, addBody('v3_ok_3', 'wx_paced'));
    await postAdd(sim.url, addBody('v3_ok_4', 'wx_paced'));
    expect(sim.violations()).toEqual([]);
  });
});

describe('GeWe simulator: control routes', () => {
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(3000),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };

  it('serves arrivals and violations, and sets spacing, faults and reset over HTTP', async () => {
    expect(await control('POST', '/_sim/spacing', { appId: 'wx_http', ms: 60_000 })).toEqual({ status: 204, json: undefined });
    await postAdd(sim.url, addBody('v3_ok_1', 'wx_http'));
    await postAdd(sim.url, addBody('v3_ok_2', 'wx_http'));

    const arrivals = await control('GET', '/_sim/arrivals');
    expect(arrivals.status).toBe(200);
    expect(arrivals.json?.arrivals).toHaveLength(2);
    const violations = await control('GET', '/_sim/violations');
    expect(violations.json?.violations).toEqual([expect.objectContaining({ kind: 'tooClose', v3: 'v3_ok_2' })]);

    expect((await control('POST', '/_sim/fault', { kind: '502html', count: 2 })).status).toBe(204);
    expect((await postAdd(sim.url, addBody('v3_ok_3', 'wx_x'))).status).toBe(502);
    expect((await postAdd(sim.url, addBody('v3_ok_4', 'wx_y'))).status).toBe(502);
    expect((await postAdd(sim.url, addBody('v3_ok_5', 'wx_z'))).status).toBe(200);

    expect((await control('POST', '/_sim/reset')).status).toBe(204);
    expect((await control('GET', '/_sim/arrivals')).json).toEqual({ arrivals: [] });
  });

  it.each([
    ['/_sim/fault', { kind: 'meteor' }],
    ['/_sim/fault', { kind: 'hang', count: 0 }],
    ['/_sim/spacing', { appId: 'wx', ms: -1 }],
    ['/_sim/spacing', { ms: 10 }],
  ])('answers 400 to POST %s %j', async (path, body) => {
    expect((await control('POST', path, body)).status).toBe(400);
  });

  it('answers 404 to an unknown control route', async () => {
    expect((await control('GET', '/_sim/nothing')).status).toBe(404);
  });
});
