import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTimSimulator, type TimSimulator } from '../../../src/sim/tim/index.js';
import { APP, KEY, addBody, callTim, codesOf } from './helpers.js';

const SOURCE = 'AddSource_Type_Web';

describe('friend_add body checks', () => {
  let sim: TimSimulator;

  beforeAll(async () => {
    sim = await startTimSimulator({ sdkAppId: APP, secretKey: KEY, latencyMs: 0 });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  it("answers the doc's full example with the doc's shape", async () => {
    const reply = await callTim(sim.url, {
      From_Account: 'id',
      AddFriendItem: [
        { To_Account: 'id1', AddSource: 'AddSource_Type_XXXXXXXX' },
        { To_Account: 'id2', Remark: 'remark2', GroupName: '同学', AddSource: 'AddSource_Type_XXXXXXXX', AddWording: "I'm Test2" },
      ],
      AddType: 'Add_Type_Both',
      ForceAddFlags: 1,
    });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.json)).toEqual([
      'ResultItem',
      'Fail_Account',
      'Invalid_Account',
      'ActionStatus',
      'ErrorCode',
      'ErrorInfo',
      'ErrorDisplay',
      'RequestId',
    ]);
    expect(reply.json).toMatchObject({
      ResultItem: [
        { To_Account: 'id1', ResultCode: 0, ResultInfo: '' },
        { To_Account: 'id2', ResultCode: 0, ResultInfo: '' },
      ],
      Fail_Account: [],
      Invalid_Account: [],
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
      ErrorDisplay: '',
    });
    expect(reply.json.RequestId).toMatch(/^Id-[0-9a-f]+-O-Seq-\d+$/);
  });

  it.each([
    ['a body that is not JSON', '{"From_Account":', 30001],
    ['a JSON array', '[]', 30001],
    ['no From_Account', { AddFriendItem: [{ To_Account: 'a', AddSource: SOURCE }] }, 30001],
    ['a From_Account that is a number', { From_Account: 7, AddFriendItem: [{ To_Account: 'a', AddSource: SOURCE }] }, 30001],
    ['no AddFriendItem', { From_Account: 'alice' }, 30503],
    ['an empty AddFriendItem', addBody('alice', []), 30503],
    [
      '1001 items',
      addBody(
        'alice',
        Array.from({ length: 1001 }, (_, i) => `ok${i}`),
      ),
      30503,
    ],
    ['a bad AddType', addBody('alice', ['a'], { AddType: 'Add_Type_All' }), 30541],
    ['ForceAddFlags 2', addBody('alice', ['a'], { ForceAddFlags: 2 }), 30001],
    ['a To_Account that is a number', addBody('alice', [{ To_Account: 5 as unknown as string, AddSource: SOURCE }]), 30001],
    ['a Remark that is not a string', addBody('alice', [{ To_Account: 'a', AddSource: SOURCE, Remark: 1 as unknown as string }]), 30001],
  ])('refuses %s whole', async (_name, body, code) => {
    const reply = await callTim(sim.url, body);
    expect(reply.json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
    expect(Object.keys(reply.json)).toEqual(['ActionStatus', 'ErrorCode', 'ErrorInfo', 'ErrorDisplay', 'RequestId']);
  });

  it('accepts 1000 items and both AddTypes', async () => {
    const many = await callTim(
      sim.url,
      addBody(
        'alice',
        Array.from({ length: 1000 }, (_, i) => `ok${i}`),
        { AddType: 'Add_Type_Single', ForceAddFlags: 0 },
      ),
    );
    expect(many.json.ErrorCode).toBe(0);
    expect(many.json.ResultItem).toHaveLength(1000);
  });

  it.each([
    ['missing', undefined],
    ['without the prefix', 'Web'],
    ['with a keyword over 8 letters', 'AddSource_Type_Something'],
    ['with a digit', 'AddSource_Type_Web1'],
    ['with an empty keyword', 'AddSource_Type_'],
  ])('answers per-item 30001 Source_Illegal for an AddSource %s', async (_name, source) => {
    const reply = await callTim(sim.url, addBody('alice', ['ok_fine', { To_Account: 'ok_bad', AddSource: source }]));
    expect(reply.json).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0, Fail_Account: ['ok_bad'] });
    expect(reply.json.ResultItem).toEqual([
      { To_Account: 'ok_fine', ResultCode: 0, ResultInfo: '' },
      { To_Account: 'ok_bad', ResultCode: 30001, ResultInfo: 'Err_SNS_FriendAdd_Source_Illegal' },
    ]);
  });

  it('accepts AddSource keywords of 1 and 8 letters', async () => {
    const reply = await callTim(
      sim.url,
      addBody('alice', [
        { To_Account: 'ok_a', AddSource: 'AddSource_Type_A' },
        { To_Account: 'ok_b', AddSource: 'AddSource_Type_Androidx' },
      ]),
    );
    expect(codesOf(reply)).toEqual({ ok_a: 0, ok_b: 0 });
  });

  it('measures Remark, AddWording and GroupName in UTF-8 bytes (30502 per item)', async () => {
    const item = (to: string, fields: object): object => ({ To_Account: to, AddSource: SOURCE, ...fields });
    const reply = await callTim(
      sim.url,
      addBody('alice', [
        item('ok_r96', { Remark: 'r'.repeat(96) }),
        item('ok_r97', { Remark: 'r'.repeat(97) }),
        item('ok_rzh32', { Remark: '好'.repeat(32) }),
        item('ok_rzh33', { Remark: '好'.repeat(33) }),
        item('ok_w256', { AddWording: 'w'.repeat(256) }),
        item('ok_w257', { AddWording: 'w'.repeat(257) }),
        item('ok_g30', { GroupName: 'g'.repeat(30) }),
        item('ok_g31', { GroupName: 'g'.repeat(31) }),
        item('ok_gzh11', { GroupName: `${'同学'.repeat(5)}同` }),
        item('ok_gempty', { GroupName: '' }),
        item('ok_garray', { GroupName: ['同学', '同事'] }),
        item('ok_garraybad', { GroupName: ['同学', ''] }),
      ] as never[]),
    );
    expect(codesOf(reply)).toEqual({
      ok_r96: 0,
      ok_r97: 30502,
      ok_rzh32: 0,
      ok_rzh33: 30502,
      ok_w256: 0,
      ok_w257: 30502,
      ok_g30: 0,
      ok_g31: 30502,
      ok_gzh11: 30502,
      ok_gempty: 30502,
      ok_garray: 0,
      ok_garraybad: 30502,
    });
  });

  it('logs From_Account and the item count even for refused bodies', async () => {
    await callTim(
      sim.url,
      addBody(
        'alice',
        Array.from({ length: 1001 }, (_, i) => `x${i}`),
      ),
    );
    await callTim(sim.url, 'nonsense');
    expect(sim.arrivals()).toMatchObject([
      { fromAccount: 'alice', count: 1001, rejected: '30503' },
      { fromAccount: '', count: 0, rejected: '30001' },
    ]);
  });
});
