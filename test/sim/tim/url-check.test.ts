import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTimSimulator, type TimSimulator } from '../../../src/sim/tim/index.js';
import { APP, KEY, addBody, callTim, friendAddUrl, libSig } from './helpers.js';

describe('URL checks', () => {
  let sim: TimSimulator;
  const body = addBody('alice', ['ok_url']);

  beforeAll(async () => {
    sim = await startTimSimulator({ sdkAppId: APP, secretKey: KEY, latencyMs: 0 });
  });
  afterAll(() => sim.close());

  it.each([
    ['sdkappid missing', { sdkappid: undefined }, 60012],
    ['sdkappid of another app', { sdkappid: '1400000001' }, 60006],
    ['sdkappid not a number', { sdkappid: 'abc' }, 60006],
    ['identifier missing', { identifier: undefined }, 60004],
    ['usersig missing', { usersig: undefined }, 60004],
    ['random missing', { random: undefined }, 60002],
    ['random not a number', { random: '12a' }, 60002],
    ['random over 32 bits', { random: '4294967296' }, 60002],
    ['random negative', { random: '-1' }, 60002],
    ['contenttype missing', { contenttype: undefined }, 60002],
    ['contenttype not json', { contenttype: 'xml' }, 60002],
    ['identifier not the admin (with its own valid sig)', { identifier: 'bob', usersig: libSig('bob') }, 60010],
  ])('refuses %s', async (_name, query, code) => {
    const reply = await callTim(sim.url, body, { query });
    expect(reply.json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code, ErrorDisplay: '' });
  });

  it('accepts random 0 and 4294967295', async () => {
    for (const random of ['0', '4294967295']) {
      const reply = await callTim(sim.url, addBody('alice', [`ok_${random}`]), { query: { random } });
      expect(reply.json.ErrorCode).toBe(0);
    }
  });

  it('answers 404 to unknown paths and to other methods', async () => {
    expect((await fetch(`${sim.url}/v4/sns/friend_delete`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${sim.url}/`)).status).toBe(404);
    expect((await fetch(friendAddUrl(sim.url))).status).toBe(404);
  });

  it('does not log calls to unknown paths', async () => {
    sim.reset();
    await fetch(`${sim.url}/v4/sns/friend_import`, { method: 'POST', body: '{}' });
    expect(sim.arrivals()).toEqual([]);
  });
});
