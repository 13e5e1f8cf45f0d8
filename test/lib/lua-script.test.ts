import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LuaScript } from '../../src/lib/lua-script.js';
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
