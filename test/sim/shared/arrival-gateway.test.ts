import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTimSimulator, type TimSimulator } from '../../../src/sim/tim/index.js';
import { preciseNow } from '../../../src/sim/shared/precise-now.js';
import { APP, KEY, addBody, callTim, codesOf, friendAddUrl } from '../tim/helpers.js';

describe('arrival gateway: arrivals stamped in a thread of their own', () => {
  let sim: TimSimulator;

  beforeAll(async () => {
    sim = await startTimSimulator({ sdkAppId: APP, secretKey: KEY, latencyMs: 0, arrivalGateway: true });
  });
  afterAll(() => sim.close());

  it('passes calls through both ways', async () => {
    sim.reset();
    const reply = await callTim(sim.url, addBody('gw_alice', ['ok1', 'black_b']));
    expect(reply.status).toBe(200);
    expect(codesOf(reply)).toEqual({ ok1: 0, black_b: 30515 });
    expect(sim.arrivals()).toMatchObject([{ fromAccount: 'gw_alice', count: 2 }]);
  });

  it('stamps a call when it reaches the gateway, however long the simulator is busy', async () => {
    sim.reset();
    const body = JSON.stringify(addBody('gw_bob', ['ok2']));
    let sentAt = 0;
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(friendAddUrl(sim.url), { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.on('finish', () => {
        sentAt = preciseNow();
        // The simulator's event loop (this thread) is busy for 150 ms, as a GC pause or a burst
        // of 1000-target calls would keep it.
        const until = sentAt + 150;
        while (preciseNow() < until);
      });
      req.end(body);
    });
    expect(await answered).toBe(200);
    const [arrival] = sim.arrivals();
    // Stamped by the gateway on arrival, not when the busy loop got to it (150 ms on): the bound
    // leaves a loaded machine room to schedule the gateway.
    expect(arrival!.at - sentAt).toBeLessThan(100);
  });
});
