import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';
import { sendCommand } from './turn-pipeline.js';

/** Characters from which an argument is sent as part of one Buffer (see LuaScript.run). */
const LONG_TEXT = 8192;

/**
 * An atomic Redis step written in Lua, kept in its own `.lua` file beside a thin TypeScript
 * wrapper (as BullMQ keeps its scripts). EVALSHA first; EVAL once when Redis lost its script cache.
 */
export class LuaScript {
  readonly sha: string;
  private readonly shaBuffer: Buffer;
  private readonly source: string;

  /** `from`: the script's file, or its text (a composedScript). */
  constructor(from: URL | { source: string }) {
    this.source = from instanceof URL ? readScript(from) : from.source;
    this.sha = createHash('sha1').update(this.source).digest('hex');
    this.shaBuffer = Buffer.from(this.sha);
  }

  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number | Buffer)[]): Promise<unknown> {
    // A Buffer among the arguments has ioredis build the command into one Buffer, each text
    // written into it once. Otherwise it joins the command into one string, which Node copies
    // whole before encoding it: for a 1000-target record (~210 KB) that cost 3 % of a call
    // (docs/benchmarks.md, ninth sitting).
    const sha = args.some((a) => typeof a === 'string' && a.length > LONG_TEXT) ? this.shaBuffer : this.sha;
    try {
      return await sendCommand(redis, 'evalsha', [sha, keys.length, ...keys, ...args]);
    } catch (err) {
      if (!String((err as Error)?.message).includes('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * The script's text. In a build the scripts sit beside the compiled modules because
 * `npm run build` (scripts/build.mjs) copies them there; a dist/ made by `tsc` alone lacks them.
 */
function readScript(fileUrl: URL): string {
  try {
    return readFileSync(fileUrl, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new Error(`Lua script missing: ${fileUrl.pathname} (build with \`npm run build\`, which copies the .lua files beside their modules)`, { cause: err });
  }
}

/** Loads `name` from the `scripts/` folder beside the calling module. */
export function scriptBeside(moduleUrl: string, name: string): LuaScript {
  return new LuaScript(new URL(`./scripts/${name}`, moduleUrl));
}

/**
 * One script made of others, to do in one round trip what took one each: every part (a script
 * file as it stands, with KEYS and ARGV of its own) becomes a local Lua function of the given
 * name, `name(KEYS, ARGV)`, which the driver (`scripts/<driver>` beside the calling module) calls
 * with slices of its own. A part is a script file, or a script's text (BullMQ's own, which it
 * ships as text: see src/queue/delaying-worker.ts). A part's `return redis.error_reply(...)` reaches the driver as a table
 * with `err`, for it to pass on. The parts stay the scripts their own wrappers run, so one text
 * holds each step, wherever it runs.
 */
export function composedScript(moduleUrl: string, driver: string, parts: Readonly<Record<string, URL | { source: string }>>): LuaScript {
  const textOf = (part: URL | { source: string }) => (part instanceof URL ? readScript(part) : part.source);
  const functions = Object.entries(parts).map(([name, part]) => `local function ${name}(KEYS, ARGV)\n${textOf(part)}\nend\n`);
  return new LuaScript({ source: `${functions.join('')}${readScript(new URL(`./scripts/${driver}`, moduleUrl))}` });
}
