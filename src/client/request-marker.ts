import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import { scriptBeside } from '../lib/lua-script.js';
import type { PreparedRequest } from './prepared-request.js';

const markRequest = scriptBeside(import.meta.url, 'mark-request.lua');
const markSubmittedScript = scriptBeside(import.meta.url, 'mark-submitted.lua');

export type MarkState = 'new' | 'same' | 'conflict' | 'foreign';

export interface Mark {
  state: MarkState;
  /** Every job of the request was added: a repeat adds nothing. */
  submitted: boolean;
}

/**
 * The request's own record of a library submit: marked (atomically, once) before any job is
 * added, and `submitted` after the last one is. A crash between the two leaves a mark without
 * `submitted`, and the next submit of the same request adds every job again (same ids).
 */
export class RequestMarker {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly ttlMs: number,
  ) {}

  async mark(prepared: PreparedRequest, hash: string, stem: string): Promise<Mark> {
    const args = [hash, prepared.provider, prepared.targets, prepared.jobs.length, stem, new Date().toISOString(), this.ttlMs];
    const keys = [this.keys.request(prepared.requestId), this.keys.requestJobs(prepared.requestId)];
    const [state, submitted] = (await markRequest.run(this.redis, keys, args)) as [MarkState, string];
    return { state, submitted: submitted === '1' };
  }

  async markSubmitted(requestId: string, hash: string): Promise<void> {
    await markSubmittedScript.run(this.redis, [this.keys.request(requestId)], [hash, this.ttlMs]);
  }
}
