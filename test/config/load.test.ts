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
    expect(config.api).toMatchObject({ port: 3000, dashboardReadonly: false });
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
  ])('names %s when its value (%s) is bad', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
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
