import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { composedScript, LuaScript } from '../../src/lib/lua-script.js';
import type { RedisClient } from '../../src/lib/redis-client.js';
import { connectRedis } from '../helpers/redis.js';

describe('LuaScript', () => {
  let redis: RedisClient;
  let script: LuaScript;

  beforeAll(() => {
    redis = connectRedis();
    const file = join(mkdtempSync(join(tmpdir(), 'lua-script-')), 'echo.lua');
    writeFileSync(file, 'return { string.len(ARGV[1]), ARGV[2], ARGV[3] }');
    script = new LuaScript(pathToFileURL(file));
  });
  afterAll(() => redis.disconnect());

  // Long arguments go out in one Buffer (ioredis's other way of building a command): what the
  // script receives must not depend on it.
  it.each([
    ['short', 'zoë'],
    ['long', `${'x'.repeat(20_000)}zoë${'y'.repeat(50_000)}`],
  ])('hands the script its arguments as UTF-8, %s ones too', async (_, text) => {
    expect(await script.run(redis, [], [text, 42, 'ünïcode'])).toEqual([Buffer.byteLength(text), '42', 'ünïcode']);
  });
});

describe('composedScript', () => {
  let redis: RedisClient;
  beforeAll(() => {
    redis = connectRedis();
  });
  afterAll(() => redis.disconnect());

  it('runs each part as its own script, on the KEYS and ARGV the driver hands it, and passes a part’s error on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lua-composed-'));
    mkdirSync(join(dir, 'scripts'));
    writeFileSync(join(dir, 'first.lua'), "if ARGV[1] == 'fail' then return redis.error_reply('LOSTLOCK first refused') end\nreturn { KEYS[1], ARGV[1] }");
    writeFileSync(join(dir, 'second.lua'), 'local sum = 0\nfor _, v in ipairs(ARGV) do sum = sum + tonumber(v) end\nreturn { KEYS[1], sum }');
    writeFileSync(
      join(dir, 'scripts', 'driver.lua'),
      'local a = first({ KEYS[1] }, { ARGV[1] })\nif a.err then return a end\nreturn { a, second({ KEYS[2] }, { ARGV[2], ARGV[3] }) }',
    );
    const script = composedScript(pathToFileURL(join(dir, 'module.js')).href, 'driver.lua', {
      first: pathToFileURL(join(dir, 'first.lua')),
      second: pathToFileURL(join(dir, 'second.lua')),
    });
    expect(await script.run(redis, ['k1', 'k2'], ['go', 2, 3])).toEqual([
      ['k1', 'go'],
      ['k2', 5],
    ]);
    await expect(script.run(redis, ['k1', 'k2'], ['fail', 2, 3])).rejects.toThrow(/LOSTLOCK first refused/);
  });
});
