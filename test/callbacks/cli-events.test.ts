import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHarness, TEST_SDKAPPID, TEST_TIM_KEY, type Harness } from '../helpers/harness.js';
import { buildTestApi } from '../api/api-helpers.js';
import { runCliProcess } from '../helpers/cli-process.js';
import { friendRequestMsg, GEWE_SECRET, postGewe, postTim, recordResults, timFriendAddBody, TIM_TOKEN } from './callback-helpers.js';

describe('friend-add events and gewe requests', () => {
  let h: Harness;
  let app: FastifyInstance;
  const cli = (...args: string[]) => runCliProcess(args, h.env);

  beforeAll(async () => {
    h = createHarness('clievents', {
      TIM_SDKAPPID: TEST_SDKAPPID,
      TIM_SECRET_KEY: TEST_TIM_KEY,
      GEWE_TOKEN: 'test-gewe-token-9a8b7c6d5e4f',
      TIM_CALLBACK_TOKEN: TIM_TOKEN,
      GEWE_CALLBACK_SECRET: GEWE_SECRET,
      API_AUTH: 'off',
    });
    app = await buildTestApi(h);
    await recordResults(h, { requestId: 'cli-r', provider: 'tim', account: 'alice' }, [{ target: 'bob', outcome: 'requested', code: 30539 }]);
    expect((await postTim(app, timFriendAddBody([['alice', 'bob']]))).json().ErrorCode).toBe(0);
    expect((await postGewe(app, friendRequestMsg('wx_cli', 'v3_cli@stranger', 'hi there'))).statusCode).toBe(200);
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it("events --request prints the request's events; --json as JSON lines", async () => {
    const text = await cli('events', '--request', 'cli-r');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/confirmed\s+tim alice → bob\s+\(request cli-r, was requested 30539\)/);
    const json = await cli('--json', 'events', '--request', 'cli-r');
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ event: 'confirmed', requestId: 'cli-r', target: 'bob' });
  });

  it('events --follow shows the latest events of every kind and stops at --timeout', async () => {
    const run = await cli('events', '--follow', '--timeout', '1');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('incoming_request  gewe wx_cli ← v3_cli@stranger  "hi there"');
    expect(run.stdout).toContain('alice → bob');
  });

  it('status shows the confirmed count', async () => {
    const run = await cli('status', 'cli-r');
    expect(run.stdout).toContain('confirmed by callbacks: 1 (of 1 requested');
  });

  it('gewe requests lists the open ones; gewe auto-accept sets a policy', async () => {
    const run = await cli('gewe', 'requests', 'wx_cli');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('v3_cli@stranger,v4_v3_cli@stranger@stranger,"hi there"');
    expect((await cli('gewe', 'auto-accept', 'wx_cli', 'match:(')).code).toBe(2);
    expect((await cli('gewe', 'auto-accept', 'wx_cli', 'all')).code).toBe(0);
    const listed = (await app.inject({ method: 'GET', url: '/v1/gewe/accounts/wx_cli/friend-requests' })).json();
    expect(listed.autoAccept).toBe('all');
  });
});
