import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, TEST_SDKAPPID, TEST_TIM_KEY, type Harness } from '../helpers/harness.js';
import { startApi, type RunningApi } from '../../src/api/start-api.js';
import { createLogger } from '../../src/lib/logger.js';
import { GEWE_SECRET, keysUnder, timQuery, TIM_TOKEN } from '../callbacks/callback-helpers.js';

/** Bodies no provider should send: each gets a clear answer, the API stays up, nothing is stored. */
const GARBLED: [string, string | Buffer][] = [
  ['empty', ''],
  ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x7b, 0x22])],
  ['not JSON', 'ActionStatus=OK&PairList=bob'],
  ['truncated JSON', '{"CallbackCommand":"Sns.CallbackFriendAdd","PairList":[{"From_Account":"alice","To_Acc'],
  ['null', 'null'],
  ['a number', '12345'],
  ['an array', '[{"From_Account":"alice","To_Account":"bob"}]'],
];

const WRONG_TYPED_TIM: [string, unknown][] = [
  ['PairList a string', { CallbackCommand: 'Sns.CallbackFriendAdd', PairList: 'alice,bob' }],
  ['From_Account a number', { CallbackCommand: 'Sns.CallbackFriendAdd', PairList: [{ From_Account: 7, To_Account: 'bob' }] }],
  ['To_Account missing', { CallbackCommand: 'Sns.CallbackFriendAdd', PairList: [{ From_Account: 'alice' }] }],
  ['CallbackCommand an object', { CallbackCommand: { x: 1 }, PairList: [] }],
  ['an account of 10 kB', { CallbackCommand: 'Sns.CallbackFriendAdd', PairList: [{ From_Account: 'a'.repeat(10_000), To_Account: 'bob' }] }],
];

const WRONG_TYPED_GEWE: [string, unknown][] = [
  ['TypeName a number', { TypeName: 37, Appid: 'wx_a', Data: {} }],
  ['Appid missing', { TypeName: 'ModContacts', Data: { EncryptUserName: 'v3_x' } }],
  ['Data an array', { TypeName: 'ModContacts', Appid: 'wx_a', Data: ['v3_x'] }],
  ['Appid empty', { TypeName: 'AddMsg', Appid: '', Data: { MsgType: 37 } }],
];

describe('faults: garbled, huge, truncated and wrong-typed callback bodies', () => {
  let h: Harness;
  let api: RunningApi;
  let before: string[];
  const timUrl = () => `${api.url}/v1/callbacks/tim?${timQuery()}`;
  const geweUrl = () => `${api.url}/v1/callbacks/gewe/${GEWE_SECRET}`;
  const post = (url: string, body: string | Buffer) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : new Uint8Array(body) });

  beforeAll(async () => {
    h = createHarness('cbfaults', {
      TIM_SDKAPPID: TEST_SDKAPPID,
      TIM_SECRET_KEY: TEST_TIM_KEY,
      GEWE_TOKEN: 'test-gewe-token-9a8b7c6d5e4f',
      TIM_CALLBACK_TOKEN: TIM_TOKEN,
      GEWE_CALLBACK_SECRET: GEWE_SECRET,
      API_AUTH: 'off',
    });
    api = await startApi(h.config, createLogger({ level: 'silent' }), { port: 0, host: '127.0.0.1' });
    await fetch(`${api.url}/healthz`);
    before = await keysUnder(h);
  });
  afterAll(async () => {
    await api.close();
    await h.close();
  });

  it('TIM: every unreadable body gets its envelope with ErrorCode 1 and a reason', async () => {
    for (const [what, body] of [...GARBLED, ...WRONG_TYPED_TIM.map(([w, b]) => [w, JSON.stringify(b)] as [string, string])]) {
      const res = await post(timUrl(), body);
      const json = (await res.json()) as { ActionStatus: string; ErrorCode: number; ErrorInfo: string };
      expect(res.status, what).toBe(200);
      expect(json.ActionStatus, what).toBe('FAIL');
      expect(json.ErrorCode, what).toBe(1);
      expect(json.ErrorInfo.length, what).toBeGreaterThan(0);
    }
  });

  it('GeWe: every unreadable body is a 400 naming the problem', async () => {
    for (const [what, body] of [...GARBLED, ...WRONG_TYPED_GEWE.map(([w, b]) => [w, JSON.stringify(b)] as [string, string])]) {
      const res = await post(geweUrl(), body);
      expect(res.status, what).toBe(400);
      expect(((await res.json()) as { error: string }).error.length, what).toBeGreaterThan(0);
    }
  });

  it('a body over the cap is refused before it is read whole: TIM envelope, GeWe 413', async () => {
    const huge = `{"CallbackCommand":"Sns.CallbackFriendAdd","PairList":[${'{"From_Account":"alice","To_Account":"bob"},'.repeat(60_000)}{}]}`;
    const tim = await post(timUrl(), huge);
    expect(tim.status).toBe(200);
    expect(await tim.json()).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 1 });
    const gewe = await post(geweUrl(), huge);
    expect(gewe.status).toBe(413);
  });

  it('a body cut off mid-way by the client leaves the API up and stores nothing', async () => {
    for (const path of [`/v1/callbacks/tim?${timQuery()}`, `/v1/callbacks/gewe/${GEWE_SECRET}`]) {
      await new Promise<void>((resolve, reject) => {
        const { port } = new URL(api.url);
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(
            `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"TypeName":"ModContacts","Appid":"wx_a","Data":{"EncryptUserName":"v3_`,
          );
          setTimeout(() => socket.destroy(), 50);
        });
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
    }
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  });

  it('after all of it nothing was stored', async () => {
    expect(await keysUnder(h)).toEqual(before);
  });
});
