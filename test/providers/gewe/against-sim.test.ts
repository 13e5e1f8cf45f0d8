import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallVerdict } from '../../../src/domain/verdict.js';
import { createHttpClient } from '../../../src/http/post-json.js';
import { createGeweProvider, type GeweProvider } from '../../../src/providers/gewe/client.js';
import type { GeweJob, GeweOption } from '../../../src/providers/gewe/schema.js';
import { callProvider } from '../../../src/providers/provider.js';
import { startGeweSimulator, type GeweSimulator } from '../../../src/sim/gewe/index.js';

/**
 * The contract test: the real provider (client and classification) against the real simulator,
 * over real HTTP. If either drifts from GeWe's shapes, or from the other, this breaks.
 */
const TOKEN = 'against-sim-token-41d2';
let sim: GeweSimulator;
let gewe: GeweProvider;
/** A short deadline, so that hangs resolve quickly. */
const TIMEOUT_MS = 250;

beforeAll(async () => {
  sim = await startGeweSimulator({ token: TOKEN });
  gewe = createGeweProvider({ baseUrl: sim.url, token: TOKEN, http: createHttpClient(), timeoutMs: TIMEOUT_MS });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

function jobFor(v3: string, option: GeweOption = 2): GeweJob {
  return { appId: 'wx_contract', scene: option === 2 ? 3 : 30, option, v3, v4: 'v4_contract@stranger', content: option === 2 ? 'hi' : '' };
}

async function call(v3: string, option: GeweOption = 2, provider = gewe): Promise<CallVerdict> {
  return callProvider(provider, provider.prepare(jobFor(v3, option)));
}

describe('GeWe provider against the GeWe simulator', () => {
  it.each([
    [2, 'requested'],
    [3, 'added'],
    [4, 'declined'],
  ] as const)('ok, option %i → final %s', async (option, outcome) => {
    const verdict = await call('v3_ok_1', option);
    expect(verdict.targets).toEqual([{ target: 'v3_ok_1', retryClass: 'final', outcome, code: 200, info: '操作成功', answered: true }]);
    expect(sim.violations()).toEqual([]);
  });

  it.each([
    ['v3_final_1', { retryClass: 'final', outcome: 'refused', code: 500, info: '用户不存在', answered: true }, undefined],
    ['v3_already_1', { retryClass: 'final', outcome: 'already_friends', code: 500, answered: true }, undefined],
    ['v3_freq_1', { retryClass: 'strike', code: 500, answered: false }, 'strike'],
    [
      'v3_ticket_1',
      { retryClass: 'final', outcome: 'refused', code: 500, info: '添加好友失败 (data.code=-2: user ticket invalid)', answered: true },
      undefined,
    ],
    ['v3_offline_1', { retryClass: 'rate_limited', code: 500, answered: false }, 'park'],
    ['v3_unknown_1', { retryClass: 'final', outcome: 'failed', code: 500, answered: true }, undefined],
  ] as const)('%s → %j, effect %s', async (v3, expected, effect) => {
    const verdict = await call(v3);
    expect(verdict.targets[0]).toMatchObject({ target: v3, ...expected });
    expect(verdict.effect).toBe(effect);
  });

  it('transient: 502 HTML is transient for an accept until the simulator lets it through', async () => {
    const first = await call('v3_transient2_a', 3);
    const second = await call('v3_transient2_a', 3);
    const third = await call('v3_transient2_a', 3);
    expect([first, second].map((v) => v.targets[0]?.retryClass)).toEqual(['transient', 'transient']);
    expect(first.targets[0]?.code).toBe('http_502');
    expect(third.targets[0]).toMatchObject({ retryClass: 'final', outcome: 'added', code: 200 });
  });

  it('transient: 502 HTML ends an add unconfirmed, as a gateway may have forwarded it', async () => {
    expect((await call('v3_transient1_b', 2)).targets[0]).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 'unconfirmed' });
  });

  it('a wrong token suspends the credential, so no target is lost to a configuration error', async () => {
    const wrong = createGeweProvider({ baseUrl: sim.url, token: 'wrong-token-000000', http: createHttpClient(), timeoutMs: TIMEOUT_MS });
    const verdict = await call('v3_ok_1', 2, wrong);
    expect(verdict).toMatchObject({ effect: 'suspend', callCode: 500, callInfo: 'token无效' });
    expect(verdict.targets[0]).toMatchObject({ retryClass: 'rate_limited', answered: false });
  });

  it('hang on an add (option 2): final failed unconfirmed, and the simulator saw exactly one call', async () => {
    const verdict = await call('v3_hang_1', 2);
    expect(verdict.targets[0]).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 'unconfirmed', answered: true });
    expect(verdict.targets[0]?.info).toMatch(/^timed out \(timeout\); the add may have been made/);
    expect(sim.arrivals().map((a) => a.v3)).toEqual(['v3_hang_1']);
  });

  it('hang on an accept (option 3): transient timeout', async () => {
    const verdict = await call('v3_hang_1', 3);
    expect(verdict.targets[0]).toMatchObject({ retryClass: 'transient', code: 'timeout', answered: true });
  });

  it('slow but inside the deadline: success', async () => {
    const verdict = await call(`v3_slow${Math.floor(TIMEOUT_MS / 5)}_1`);
    expect(verdict.targets[0]).toMatchObject({ outcome: 'requested' });
  });

  it.each([
    ['502html', 2, { retryClass: 'final', outcome: 'failed', code: 'unconfirmed' }],
    ['502html', 3, { retryClass: 'transient', code: 'http_502' }],
    ['reset', 2, { retryClass: 'final', outcome: 'failed', code: 'unconfirmed' }],
    ['reset', 3, { retryClass: 'transient', code: 'network' }],
    ['truncated', 2, { retryClass: 'final', outcome: 'failed', code: 'unconfirmed' }],
    ['truncated', 4, { retryClass: 'transient', code: 'bad_response' }],
    ['hang', 2, { retryClass: 'final', outcome: 'failed', code: 'unconfirmed' }],
    ['504-after-add', 2, { retryClass: 'final', outcome: 'failed', code: 'unconfirmed' }],
    ['504-after-add', 3, { retryClass: 'transient', code: 'http_504' }],
    ['reset-after-add', 2, { retryClass: 'final', outcome: 'failed', code: 'unconfirmed' }],
    ['reset-after-add', 4, { retryClass: 'transient', code: 'network' }],
  ] as const)('fault %s on option %i → %j', async (fault, option, expected) => {
    sim.injectFault(fault);
    const verdict = await call('v3_ok_1', option);
    expect(verdict.targets[0]).toMatchObject(expected);
    expect(sim.callsPerV3()).toEqual({ v3_ok_1: 1 });
  });

  it('calls made one at a time show no overlap in the simulator', async () => {
    for (const v3 of ['v3_ok_1', 'v3_final_2', 'v3_freq_3', 'v3_ok_4']) await call(v3);
    expect(sim.arrivals()).toHaveLength(4);
    expect(sim.violations()).toEqual([]);
  });
});
