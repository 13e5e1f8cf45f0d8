import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTimSimulator, type TimSimulator } from '../../../src/sim/tim/index.js';
import { APP, KEY, addBody, callTim, codesOf, friendAddUrl, waitFor } from './helpers.js';

// Behind the arrival gateway every fault must still reach the client as the simulator made it.
describe.each([
  ['on its own event loop', false],
  ['behind the arrival gateway', true],
])('fault injection, arrivals stamped %s', (_how, arrivalGateway) => {
  let sim: TimSimulator;
  const add = (targets: string[], signal?: AbortSignal) => callTim(sim.url, addBody('alice', targets), { signal });

  beforeAll(async () => {
    sim = await startTimSimulator({ sdkAppId: APP, secretKey: KEY, latencyMs: 0, arrivalGateway });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  it('502html: HTTP 502 with an HTML page, and the call is not served', async () => {
    sim.injectFault('502html');
    const reply = await add(['ok1']);
    expect(reply.status).toBe(502);
    expect(reply.text.startsWith('<')).toBe(true);
    expect(codesOf(await add(['ok1']))).toEqual({ ok1: 0 });
    expect(sim.arrivals()).toMatchObject([{ fault: '502html', fromAccount: 'alice', count: 1 }, { fromAccount: 'alice' }]);
    expect(sim.arrivals()[0]?.rejected).toBeUndefined();
  });

  it('reset: the socket is destroyed without an answer', async () => {
    sim.injectFault('reset');
    await expect(add(['ok1'])).rejects.toThrow(/fetch failed|socket|closed|reset/i);
    expect(sim.arrivals()).toMatchObject([{ fault: 'reset', fromAccount: 'alice' }]);
    expect(codesOf(await add(['ok1']))).toEqual({ ok1: 0 });
  });

  it('truncated: status 200 and half a JSON body; the call was served', async () => {
    sim.injectFault('truncated');
    const reply = await add(['ok1']);
    expect(reply.status).toBe(200);
    expect(reply.text.length).toBeGreaterThan(10);
    expect(() => JSON.parse(reply.text)).toThrow();
    // Served before the answer broke: the next add finds them friends already.
    expect(codesOf(await add(['ok1']))).toEqual({ ok1: 30520 });
  });

  it('slowbody: headers and half the body at once, the rest after ms', async () => {
    sim.injectFault('slowbody', 1, 300);
    const started = performance.now();
    const res = await fetch(friendAddUrl(sim.url), { method: 'POST', body: JSON.stringify(addBody('alice', ['ok1'])) });
    const headersAt = performance.now() - started;
    const text = await res.text();
    const bodyAt = performance.now() - started;
    expect(res.status).toBe(200);
    expect(headersAt).toBeLessThan(250);
    expect(bodyAt).toBeGreaterThanOrEqual(295);
    expect(JSON.parse(text)).toMatchObject({ ErrorCode: 0, ResultItem: [{ To_Account: 'ok1', ResultCode: 0 }] });
  });

  it('slowbody: a client that gives up first gets nothing, and the account is freed', async () => {
    sim.injectFault('slowbody', 1, 5000);
    await expect(add(['ok1'], AbortSignal.timeout(200))).rejects.toThrow();
    await waitFor(() => sim.stats().inFlight === 0, 'the slow call to be released');
  });

  it('hang: no answer until the client gives up', async () => {
    sim.injectFault('hang');
    await expect(add(['ok1'], AbortSignal.timeout(200))).rejects.toThrow(/abort|timeout/i);
    expect(sim.arrivals()).toMatchObject([{ fault: 'hang' }]);
    await waitFor(() => sim.stats().inFlight === 0, 'the hanging call to be released');
    // A hanging call was not served.
    expect(codesOf(await add(['ok1']))).toEqual({ ok1: 0 });
  });

  it.each([
    ['60007', 60007],
    ['70001', 70001],
  ] as const)('%s: refused whole with that code', async (kind, code) => {
    sim.injectFault(kind);
    expect((await add(['ok1'])).json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
    expect(sim.arrivals()).toMatchObject([{ fault: kind, rejected: kind }]);
    // Injected frequency refusals are not violations of the real limit.
    expect(sim.violations()).toEqual([]);
  });

  it('applies a fault to the next `count` calls, whatever their account, in injection order', async () => {
    sim.injectFault('60007', 2);
    sim.injectFault('502html', 1);
    expect(sim.stats().faultsPending).toBe(3);
    const a = await callTim(sim.url, addBody('x1', ['ok1']));
    const b = await callTim(sim.url, addBody('x2', ['ok1']));
    const c = await callTim(sim.url, addBody('x3', ['ok1']));
    const d = await callTim(sim.url, addBody('x4', ['ok1']));
    expect([a.json?.ErrorCode, b.json?.ErrorCode, c.status, d.json.ErrorCode]).toEqual([60007, 60007, 502, 0]);
    expect(sim.stats().faults).toEqual({ '60007': 2, '502html': 1 });
  });

  it('reset() drops pending faults', async () => {
    sim.injectFault('502html', 5);
    sim.reset();
    expect((await add(['ok1'])).status).toBe(200);
  });
});
