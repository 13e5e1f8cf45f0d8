import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTimSimulator, type TimSimulator } from '../../../src/sim/tim/index.js';
import { checkSigFor, decodeUserSig } from '../../../src/sim/tim/usersig.js';
import { ADMIN, APP, KEY, addBody, callTim, craftSig, libApi, libSig } from './helpers.js';

describe('decodeUserSig', () => {
  it('decodes and verifies a sig from tls-sig-api-v2', () => {
    const decoded = decodeUserSig(libSig(ADMIN, KEY, APP, 3600), KEY);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.doc).toMatchObject({ identifier: ADMIN, sdkAppId: APP, expire: 3600 });
    expect(Math.abs(decoded.doc.time * 1000 - Date.now())).toBeLessThan(5000);
    expect(checkSigFor(decoded, ADMIN, APP, Date.now())).toBe(0);
  });

  it('verifies a sig that carries a userbuf', () => {
    expect(decodeUserSig(libApi().genPrivateMapKey(ADMIN, 3600, 1234, 255), KEY).ok).toBe(true);
  });

  it('refuses a sig signed with another key (70009), and garbage (70003)', () => {
    expect(decodeUserSig(libSig(ADMIN, 'another-key'), KEY)).toEqual({ ok: false, code: 70009 });
    expect(decodeUserSig('not-a-sig', KEY)).toEqual({ ok: false, code: 70003 });
    expect(decodeUserSig('', KEY)).toEqual({ ok: false, code: 70003 });
  });

  it('expires at time + expire', () => {
    const decoded = decodeUserSig(craftSig({ time: 1000, expire: 60 }), KEY);
    expect(checkSigFor(decoded, ADMIN, APP, 1059_999)).toBe(0);
    expect(checkSigFor(decoded, ADMIN, APP, 1060_000)).toBe(70001);
  });
});

describe('UserSig checks over HTTP', () => {
  let sim: TimSimulator;
  const body = addBody('alice', ['ok_sig']);
  const now = (): number => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    sim = await startTimSimulator({ sdkAppId: APP, secretKey: KEY, latencyMs: 0 });
  });
  afterAll(() => sim.close());

  it('accepts a valid sig from tls-sig-api-v2', async () => {
    const reply = await callTim(sim.url, body, { query: { usersig: libSig() } });
    expect(reply.json).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
  });

  it.each([
    ['signed with another key', () => libSig(ADMIN, 'wrong-key'), 70009],
    ['expired', () => craftSig({ time: now() - 200, expire: 100 }), 70001],
    ['made for another identifier', () => libSig('someone_else'), 70013],
    ['made for another SDKAppID', () => libSig(ADMIN, KEY, 1400000001), 70014],
    ['truncated', () => libSig().slice(0, 40), 70003],
    ['not base64 of zlib', () => 'hello-world', 70003],
  ])('refuses a sig %s', async (_name, sig, code) => {
    const reply = await callTim(sim.url, body, { query: { usersig: sig() } });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
    expect(reply.json.ResultItem).toBeUndefined();
  });

  it('logs refused calls with their code', async () => {
    sim.reset();
    await callTim(sim.url, body, { query: { usersig: craftSig({ time: now() - 200, expire: 100 }) } });
    expect(sim.arrivals()).toMatchObject([{ fromAccount: 'alice', count: 1, rejected: '70001' }]);
  });
});
