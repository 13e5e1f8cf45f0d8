import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGeweSimulator, type GeweSimulator } from '../../../src/sim/gewe/index.js';
import { addBody, postAdd, SIM_TOKEN } from './helpers.js';

let sim: GeweSimulator;
beforeAll(async () => {
  sim = await startGeweSimulator({ token: SIM_TOKEN, latencyMs: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const PARAM_ERROR = { ret: 500, msg: '参数错误' };

describe('GeWe simulator: token', () => {
  it('answers a call with the right token in the doc shape', async () => {
    const a = await postAdd(sim.url, addBody('v3_ok_1'));
    expect(a.status).toBe(200);
    expect(a.contentType).toMatch(/^application\/json/);
    expect(a.json).toEqual({ ret: 200, msg: '操作成功', data: null });
  });

  it.each([
    ['a wrong token', 'not-the-token'],
    ['no token', null],
  ])('answers %s with ret 500 token无效, HTTP 200', async (_name, token) => {
    const a = await postAdd(sim.url, addBody('v3_ok_1'), { token });
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ ret: 500, msg: 'token无效', data: null });
  });

  it('checks the token before the body', async () => {
    const a = await postAdd(sim.url, '{not json', { token: 'nope' });
    expect(a.json).toMatchObject({ ret: 500, msg: 'token无效' });
  });
});

describe('GeWe simulator: body checks', () => {
  it.each([
    ['not JSON', '{"appId":', /JSON/],
    ['an array', '[]', /object/],
    ['no appId', addBody('v3_ok', undefined, { appId: undefined }), /appId/],
    ['an empty appId', addBody('v3_ok', ''), /appId/],
    ['no v3', addBody('v3_ok', 'wx', { v3: undefined }), /v3/],
    ['a numeric v4', addBody('v3_ok', 'wx', { v4: 4 }), /v4/],
    ['no content', addBody('v3_ok', 'wx', { content: undefined }), /content/],
    ['a string scene', addBody('v3_ok', 'wx', { scene: '3' }), /scene/],
    ['a fractional scene', addBody('v3_ok', 'wx', { scene: 3.5 }), /scene/],
    ['option 1', addBody('v3_ok', 'wx', { option: 1 }), /option/],
    ['a string option', addBody('v3_ok', 'wx', { option: '2' }), /option/],
    ['an add with scene 5', addBody('v3_ok', 'wx', { scene: 5 }), /scene/],
  ])('answers %s with 参数错误 naming the problem', async (_name, body, detail) => {
    const a = await postAdd(sim.url, body as never);
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject(PARAM_ERROR);
    expect((a.json as { data: { msg: string } }).data.msg).toMatch(detail);
  });

  it.each([3, 4, 8, 15])('accepts an add with scene %i', async (scene) => {
    const a = await postAdd(sim.url, addBody('v3_ok', 'wx', { scene }));
    expect(a.json).toMatchObject({ ret: 200 });
  });

  it.each([3, 4])('accepts option %i with any scene and empty content', async (option) => {
    const a = await postAdd(sim.url, addBody('v3_ok', 'wx', { option, scene: 30, content: '' }));
    expect(a.json).toMatchObject({ ret: 200 });
  });

  it('answers 405 to a GET on the path and 404 elsewhere', async () => {
    const get = await fetch(`${sim.url}/gewe/v2/api/contacts/addContacts`, { signal: AbortSignal.timeout(3000) });
    expect(get.status).toBe(405);
    await get.body?.cancel();
    const other = await fetch(`${sim.url}/gewe/v2/api/contacts/search`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(3000) });
    expect(other.status).toBe(404);
    await other.body?.cancel();
  });

  it('records calls that fail the checks as arrivals too', async () => {
    await postAdd(sim.url, addBody('v3_ok', 'wx_bad', { scene: 99 }));
    await postAdd(sim.url, addBody('v3_ok', 'wx_bad'), { token: 'nope' });
    await postAdd(sim.url, 'garbage');
    expect(sim.arrivals().map((a) => a.appId)).toEqual(['wx_bad', 'wx_bad', '']);
  });
});
