import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { DEFAULTS } from '../../src/config/defaults.js';

describe('configuration', () => {
  it('gives every contract default when the environment is empty', () => {
    const config = loadConfig({});
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.queuePrefix).toBe('bull');
    expect(config.tim).toMatchObject({ baseUrl: 'https://console.tim.qq.com', admin: 'administrator', ratePerSec: 100, jitterMarginMs: 25 });
    expect(config.gewe).toMatchObject({ baseUrl: 'http://api.geweapi.com', newAccountMs: 72 * 3600_000, timeZone: 'Asia/Shanghai' });
    expect(config.gewe.activeHours).toBeUndefined();
    expect(config).toMatchObject({ httpTimeoutMs: 10_000, maxAttempts: 5, jobLockMs: DEFAULTS.jobLockMs });
    // Without basic-auth credentials the dashboard is read-only unless told otherwise.
    expect(config.api).toMatchObject({ port: 3000, auth: 'token', dashboardReadonly: true });
    expect(config).toMatchObject({ providers: ['tim', 'gewe'], providerRecheckMs: 60_000, strikeLockoutMs: 24 * 3600_000, resultsQueue: true });
    expect(config.gewe).toMatchObject({ acceptIntervalMs: 120_000, autoAccept: 'off' });
  });

  it('keeps the dashboard writable with basic auth, or when asked to', () => {
    expect(loadConfig({ DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD: 'pw' }).api.dashboardReadonly).toBe(false);
    expect(loadConfig({ DASHBOARD_READONLY: 'false' }).api.dashboardReadonly).toBe(false);
  });

  it('parses the v2 variables', () => {
    const config = loadConfig({
      PROVIDERS: ' gewe ,gewe',
      RESULTS_QUEUE: 'off',
      API_AUTH: 'off',
      GEWE_AUTO_ACCEPT: 'match:^hi',
      GEWE_CALLBACK_SECRET: 'abcdefghijklmnop',
    });
    expect(config.providers).toEqual(['gewe']);
    expect(config.resultsQueue).toBe(false);
    expect(config.api.auth).toBe('off');
    expect(config.gewe).toMatchObject({ autoAccept: 'match:^hi', callbackSecret: 'abcdefghijklmnop' });
  });

  it('parses values and active hours', () => {
    const config = loadConfig({ TIM_SDKAPPID: '1400000001', GEWE_ACTIVE_HOURS: '09:00-22:30', DASHBOARD_READONLY: 'true', GEWE_JITTER: '0.25' });
    expect(config.tim.sdkAppId).toBe(1400000001);
    expect(config.gewe.activeHours).toEqual({ fromMinute: 540, toMinute: 1350 });
    expect(config.api.dashboardReadonly).toBe(true);
    expect(config.gewe.jitter).toBe(0.25);
  });

  it.each([
    ['TIM_RATE_PER_SEC', 'fast'],
    ['TIM_JITTER_MARGIN_MS', '-5'],
    ['JOB_LOCK_MS', '30000'],
    ['GEWE_TIMEZONE', 'Mars/Olympus'],
    ['GEWE_ACTIVE_HOURS', '9-22'],
    ['REDIS_URL', 'http://localhost'],
    ['MAX_ATTEMPTS', '0'],
    ['PROVIDERS', 'tim,wechat'],
    ['PROVIDERS', ','],
    ['API_AUTH', 'none'],
    ['RESULTS_QUEUE', 'maybe'],
    ['GEWE_AUTO_ACCEPT', 'match:(unclosed'],
    ['GEWE_AUTO_ACCEPT', 'sometimes'],
    ['GEWE_CALLBACK_SECRET', 'short'],
    ['STRIKE_LOCKOUT_MS', '-1'],
  ])('names %s when its value (%s) is bad', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it.each([
    [{ PROVIDERS: 'tim,gewe', TIM_SDKAPPID: '1400000001', TIM_SECRET_KEY: 'k' }, /GEWE_TOKEN/],
    [{ PROVIDERS: 'tim' }, /TIM_SDKAPPID[\s\S]*TIM_SECRET_KEY/],
  ])('stops a worker whose enabled provider lacks credentials with exit code 2, naming the variable (%o)', (env, named) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'workers/worker.ts'], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(named);
  });

  it('stops a worker process with exit code 2 and the variable named', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'workers/worker.ts'], {
      env: { PATH: process.env.PATH, TIM_RATE_PER_SEC: 'lots' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/TIM_RATE_PER_SEC/);
  });
});
