import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { behaviourOf, startGeweSimulator, type GeweSimulator } from '../../../src/sim/gewe/index.js';
import { addBody, postAdd, SIM_TOKEN, waitFor } from './helpers.js';

let sim: GeweSimulator;
beforeAll(async () => {
  sim = await startGeweSimulator({ token: SIM_TOKEN, latencyMs: 1 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('behaviourOf: what a v3 name asks for', () => {
  it.each([
    ['v3_ok_1', { kind: 'ok' }],
    ['v3_020b3826fd0301@stranger', { kind: 'ok' }],
    ['v3_final_1', { kind: 'final' }],
    ['v3_already_1', { kind: 'already' }],
    ['v3_transient3_a', { kind: 'transient', failures: 3 }],
    ['v3_transient_a', { kind: 'transient', failures: 1 }],
    ['v3_freq_1', { kind: 'freq' }],
    ['v3_ticket_1', { kind: 'ticket' }],
    ['v3_offline_1', { kind: 'offline' }],
    ['v3_unknown_1', { kind: 'unknown' }],
    ['v3_hang_1', { kind: 'hang' }],
    ['v3_slow250_a', { kind: 'slow', ms: 250 }],
  ])('%s', (v3, expected) => {
    expect(behaviourOf(v3)).toEqual(expected);
  });
});

describe('GeWe simulator: behaviours by v3', () => {
  it.each([
    ['v3_ok_a', { ret: 200, msg: '操作成功', data: null }],
    ['v3_somethingelse', { ret: 200, msg: '操作成功', data: null }],
    ['v3_final_a', { ret: 500, msg: '用户不存在', data: null }],
    ['v3_already_a', { ret: 500, msg: '对方已是好友', data: null }],
    ['v3_freq_a', { ret: 500, msg: '操作过于频繁，请稍后再试', data: null }],
    ['v3_ticket_a', { ret: 500, msg: '添加好友失败', data: { code: '-2', msg: 'user ticket invalid' } }],
    ['v3_offline_a', { ret: 500, msg: '设备已离线', data: null }],
    ['v3_unknown_a', { ret: 500, msg: '系统异常', data: { code: '-99', msg: 'unexpected state' } }],
  ])('%s answers %j with HTTP 200', async (v3, expected) => {
    const a = await postAdd(sim.url, addBody(v3));
    expect(a.status).toBe(200);
    expect(a.json).toEqual(expected);
  });

  it('v3_transient<N> answers HTTP 502 HTML for N calls of that v3, then success', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const a = await postAdd(sim.url, addBody('v3_transient2_a'));
      statuses.push(a.status);
      if (a.status === 502) expect(a.text).toMatch(/^<html>/);
    }
    expect(statuses).toEqual([502, 502, 200, 200]);
    // Counted per v3: another name starts again.
    expect((await postAdd(sim.url, addBody('v3_transient2_b'))).status).toBe(502);
  });

  it('reset() starts the transient counters again', async () => {
    expect((await postAdd(sim.url, addBody('v3_transient1_a'))).status).toBe(502);
    expect((await postAdd(sim.url, addBody('v3_transient1_a'))).status).toBe(200);
    sim.reset();
    expect((await postAdd(sim.url, addBody('v3_transient1_a'))).status).toBe(502);
  });

  it('v3_slow<MS> answers after MS ms', async () => {
    const started = performance.now();
    const a = await postAdd(sim.url, addBody('v3_slow150_a'));
    expect(a.json).toMatchObject({ ret: 200 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('v3_hang never answers; the client gives up and the call is no longer in flight', async () => {
    const hung = postAdd(sim.url, addBody('v3_hang_a'), { signal: AbortSignal.timeout(150) });
    await expect(hung).rejects.toThrow();
    // In flight until the client's socket closes: then the next call of the appId is no overlap.
    await waitFor(() => sim.arrivals()[0]?.endedAt, 3000, 'the hung call to end');
    expect((await postAdd(sim.url, addBody('v3_ok_b'))).status).toBe(200);
    const arrivals = sim.arrivals();
    expect(arrivals.map((a) => a.v3)).toEqual(['v3_hang_a', 'v3_ok_b']);
    expect(arrivals[1]?.overlap, JSON.stringify(arrivals)).toBe(false);
  });

  it('close() works while a call hangs', async () => {
    const own = await startGeweSimulator({ token: SIM_TOKEN });
    const hung = postAdd(own.url, addBody('v3_hang_a'), { signal: AbortSignal.timeout(10_000) });
    await waitFor(() => own.arrivals().length === 1, 3000, 'the hanging call to arrive');
    const closed = own.close();
    await expect(hung).rejects.toThrow();
    await closed;
    await own.close(); // twice is harmless
  });
});
