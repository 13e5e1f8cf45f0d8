import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGeweSimulator, type GeweSimulator } from '../../../src/sim/gewe/index.js';
import { addBody, postAdd, SIM_TOKEN, waitFor } from './helpers.js';

let sim: GeweSimulator;
beforeAll(async () => {
  sim = await startGeweSimulator({ token: SIM_TOKEN });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('GeWe simulator: injected faults', () => {
  it('502html: HTTP 502 with an HTML page, for the next `count` calls only', async () => {
    sim.injectFault('502html', 2);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await postAdd(sim.url, addBody(`v3_ok_${i}`)));
    expect(answers.map((a) => a.status)).toEqual([502, 502, 200]);
    expect(answers[0]?.contentType).toMatch(/text\/html/);
    expect(answers[0]?.text).toContain('502 Bad Gateway');
  });

  it('reset: the connection is dropped without an answer', async () => {
    sim.injectFault('reset');
    await expect(postAdd(sim.url, addBody('v3_ok_1'))).rejects.toThrow();
    expect((await postAdd(sim.url, addBody('v3_ok_2'))).status).toBe(200);
    expect(sim.arrivals()).toHaveLength(2);
  });

  it('truncated: HTTP 200 with a JSON body cut short', async () => {
    sim.injectFault('truncated');
    const a = await postAdd(sim.url, addBody('v3_ok_1'));
    expect(a.status).toBe(200);
    expect(a.json).toBeUndefined();
    expect(a.text.startsWith('{"ret":200')).toBe(true);
  });

  it('hang: no answer until the client gives up', async () => {
    sim.injectFault('hang');
    await expect(postAdd(sim.url, addBody('v3_ok_1'), { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await waitFor(() => sim.arrivals()[0]?.endedAt, 3000, 'the hung call to end');
    expect((await postAdd(sim.url, addBody('v3_ok_2'))).status).toBe(200);
  });

  it('faults come in order of injection, whatever the v3, before the token check', async () => {
    sim.injectFault('502html');
    sim.injectFault('truncated');
    expect((await postAdd(sim.url, addBody('v3_final_1'), { token: 'wrong' })).status).toBe(502);
    expect((await postAdd(sim.url, addBody('v3_freq_1'))).json).toBeUndefined();
    expect((await postAdd(sim.url, addBody('v3_freq_1'))).json).toMatchObject({ ret: 500, msg: '操作过于频繁，请稍后再试' });
  });

  it('504-after-add: the call is acted on, then a gateway answers 504 with its HTML page', async () => {
    sim.injectFault('504-after-add');
    // v3_transient1 answers 502 on its first call only: the second call succeeding shows the first was acted on.
    const first = await postAdd(sim.url, addBody('v3_transient1_a'));
    expect(first.status).toBe(504);
    expect(first.contentType).toMatch(/text\/html/);
    expect(first.text).toContain('504 Gateway Time-out');
    expect((await postAdd(sim.url, addBody('v3_transient1_a'))).json).toMatchObject({ ret: 200 });
    expect(sim.callsPerV3()).toEqual({ v3_transient1_a: 2 });
  });

  it('reset-after-add: the call is acted on, then the connection is dropped without an answer', async () => {
    sim.injectFault('reset-after-add');
    await expect(postAdd(sim.url, addBody('v3_transient1_b'))).rejects.toThrow();
    expect((await postAdd(sim.url, addBody('v3_transient1_b'))).json).toMatchObject({ ret: 200 });
    expect(sim.callsPerV3()).toEqual({ v3_transient1_b: 2 });
    await waitFor(() => sim.arrivals().every((a) => a.endedAt !== null), 3000, 'both calls to end');
    expect(sim.violations()).toEqual([]);
  });

  it('counts every call that reached it per v3, faults and errors included, until reset', async () => {
    sim.injectFault('reset');
    sim.injectFault('hang');
    await expect(postAdd(sim.url, addBody('v3_ok_x'))).rejects.toThrow();
    await expect(postAdd(sim.url, addBody('v3_ok_x'), { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await postAdd(sim.url, addBody('v3_final_y'), { token: 'wrong' });
    await postAdd(sim.url, addBody('v3_ok_x'));
    expect(sim.callsPerV3()).toEqual({ v3_ok_x: 3, v3_final_y: 1 });
    const viaControl = (await (await fetch(`${sim.url}/_sim/calls`)).json()) as { calls: Record<string, number> };
    expect(viaControl.calls).toEqual({ v3_ok_x: 3, v3_final_y: 1 });
    sim.reset();
    expect(sim.callsPerV3()).toEqual({});
  });

  it('takes the after-add faults over its control route too, and names every kind when refusing one', async () => {
    const control = (body: unknown) => fetch(`${sim.url}/_sim/fault`, { method: 'POST', body: JSON.stringify(body) });
    expect((await control({ kind: '504-after-add', count: 1 })).status).toBe(204);
    expect((await postAdd(sim.url, addBody('v3_ok_ctl'))).status).toBe(504);
    const refused = await control({ kind: 'gateway' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/"504-after-add"\|"reset-after-add"/);
  });

  it('reset() drops pending faults', async () => {
    sim.injectFault('502html', 5);
    sim.reset();
    expect((await postAdd(sim.url, addBody('v3_ok_1'))).status).toBe(200);
  });

  it('rejects a count that is not a positive integer', () => {
    expect(() => sim.injectFault('hang', 0)).toThrow(RangeError);
  });
});
