import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { runCliProcess } from '../helpers/cli-process.js';
import { Keys } from '../../src/lib/keys.js';
import { AccountStates } from '../../src/accounts/account-state.js';
import { CredentialSuspensions } from '../../src/fleet/credential-suspensions.js';

const HOUR = 3600_000;

describe('friend-add accounts show|list and providers, as a process', () => {
  let h: Harness;
  const t0 = Date.now();
  // Each run starts node with tsx: seconds each on a loaded 2-core machine, so a generous deadline.
  const cli = (...args: string[]) => runCliProcess(args, h.env, 120_000);

  beforeAll(async () => {
    h = createHarness('cli-accounts', { TIM_SDKAPPID: 1400000009, TIM_SECRET_KEY: 'cli-accounts-key', GEWE_TOKEN: 'cli-accounts-token' });
    const states = new AccountStates(h.redis, new Keys(h.prefix), { maxRepeats: 2, lockoutMs: 24 * HOUR });
    await states.strike('tim', 'resting_1', 600_000, 30540, t0);
    await states.strike('tim', 'locked_1', 600_000, 30540, t0);
    await states.strike('tim', 'locked_1', 600_000, 30540, t0);
    await states.park('gewe', 'wx_parked', 'offline', t0 - 5000);
    await states.pause('tim', 'paused_1', t0 - 1000);
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows a resting, a locked, a parked and a paused account', { timeout: 150_000 }, async () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    const show = async (provider: string, account: string) => {
      const run = await cli('accounts', 'show', provider, account);
      expect([run.code, run.stderr]).toEqual([0, '']);
      return run.stdout.trim().split('\n');
    };
    const [resting, locked, parked, paused] = await Promise.all([
      show('tim', 'resting_1'),
      show('tim', 'locked_1'),
      show('gewe', 'wx_parked'),
      show('tim', 'paused_1'),
    ]);
    expect(resting[0]).toBe('tim account resting_1: resting');
    expect(resting).toContain(`  resting until ${iso(t0 + 600_000)} (1 strikes in a row, code 30540)`);
    expect(locked[0]).toBe('tim account locked_1: locked');
    expect(locked).toContain(`  locked out until ${iso(t0 + 24 * HOUR)} after 2 strikes in a row (code 30540): its targets end failed`);
    expect(parked[0]).toBe('gewe account wx_parked: parked');
    expect(parked).toContain(`  parked since ${iso(t0 - 5000)}: offline`);
    expect(parked.some((l) => l.startsWith('  add: 0/5 today'))).toBe(true);
    expect(paused.slice(0, 3)).toEqual(['tim account paused_1: paused', '  lease: free', `  paused since ${iso(t0 - 1000)}`]);
  });

  it('lists by state, pages, speaks JSON, and refuses an unknown state (exit 2)', { timeout: 150_000 }, async () => {
    const [locked, page, bad] = await Promise.all([
      cli('accounts', 'list', '--state', 'locked'),
      cli('--json', 'accounts', 'list', '--limit', '2'),
      cli('accounts', 'list', '--state', 'sleeping'),
    ]);
    expect(locked.stdout.trim().split('\n')).toEqual([`tim\tlocked_1\tlocked\tuntil ${new Date(t0 + 24 * HOUR).toISOString()}`, '1-1 of 1']);
    expect(JSON.parse(page.stdout)).toMatchObject({ total: 4, offset: 0, limit: 2, nextOffset: 2 });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected one of resting, locked, paused, parked, unregistered');
  });

  it('providers: enabled, suspended with why and the next probe, the TIM rate', async () => {
    const suspensions = new CredentialSuspensions(h.redis, new Keys(h.prefix));
    await suspensions.suspend('tim', 'abcdef0123456789', 70009, 'UserSig verification failed', Date.now(), 60_000);
    const run = await cli('providers');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^tim: enabled, no worker seen for a day, ok, rate 100\/100 per s$/);
    expect(lines[1]).toMatch(/^ {2}suspended abcdef0123456789 since \S+: 70009 UserSig verification failed; next probe \S+$/);
    expect(lines[2]).toBe('gewe: enabled, no worker seen for a day, ok');
  });
});
