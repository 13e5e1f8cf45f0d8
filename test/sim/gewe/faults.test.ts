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

  it('reset() drops pending faults', async () => {
    sim.injectFault('502html', 5);
    sim.reset();
    expect((await postAdd(sim.url, addBody('v3_ok_1'))).status).toBe(200);
  });

  it('rejects a count that is not a positive integer', () => {
    expect(() => sim.injectFault('hang', 0)).toThrow(RangeError);
  });
});
