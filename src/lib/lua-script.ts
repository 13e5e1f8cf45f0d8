import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';

/**
 * An atomic Redis step written in Lua, kept in its own `.lua` file beside a thin TypeScript
 * wrapper (as BullMQ keeps its scripts). EVALSHA first; EVAL once when Redis lost its script cache.
 */
export class LuaScript {
  readonly sha: string;
  private readonly source: string;

  constructor(fileUrl: URL) {
    this.source = readFileSync(fileUrl, 'utf8');
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error)?.message).includes('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** Loads `name` from the `scripts/` folder beside the calling module. */
export function scriptBeside(moduleUrl: string, name: string): LuaScript {
  return new LuaScript(new URL(`./scripts/${name}`, moduleUrl));
}
