import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import type { TargetResult } from '../domain/types.js';
import { LuaScript } from '../lib/lua-script.js';
import type { JobRef } from './job-ref.js';
import { confirmIndexArg } from '../callbacks/confirm-index.js';
import { recordedBatches, type RecordedBatches } from './recorded-batches.js';
import { packRecord } from './packed-finals.js';
import type { ResultJobs } from './result-jobs.js';
import { finalOutcomes } from './final-outcomes.js';
import { accountStateOf, type AccountState } from '../accounts/account-state.js';

/** init-job.lua, for a script that starts a job's pass with it (JobStore.initThen). */
export const INIT_JOB_LUA = new URL('./scripts/init-job.lua', import.meta.url);
const initJob = new LuaScript(INIT_JOB_LUA);
/** record-results.lua, for a script that records as one of its steps (JobStore.recordAfter). */
export const RECORD_RESULTS_LUA = new URL('./scripts/record-results.lua', import.meta.url);
const recordResults = new LuaScript(RECORD_RESULTS_LUA);

/**
 * The worker no longer holds the job: it stalled and another worker took it over, or Redis lost
 * it (its last second of writes, after a crash). Whatever this worker learned is dropped; the
 * job's holder, or the producer's resubmit, carries the targets on.
 */
export class LostJobError extends Error {
  override name = 'LostJobError';
}

/** A script's refusal as the store's callers know it: LOSTLOCK is a LostJobError. */
function storeError(err: unknown): unknown {
  const message = String((err as Error)?.message);
  return message.startsWith('LOSTLOCK') ? new LostJobError(message) : err;
}

async function guarded<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (err) {
    throw storeError(err);
  }
}

/** The last answer an open target had, for support: shown in request status. */
export interface LastAnswer {
  code: TargetResult['code'];
  info: string;
  providerRequestId?: string;
}

/** One input job's progress as stored in Redis. */
export interface JobSnapshot {
  finals: Set<string>;
  attempts: Map<string, number>;
  /** Free-form job fields (retryAt, chunk size, internal error count...). */
  fields: Map<string, string>;
  cancelled: boolean;
}

/** What a job's pass starts from: whether it is the job's first run, its state, its account's state. */
export interface JobStart {
  firstRun: boolean;
  snapshot: JobSnapshot;
  account: AccountState;
  /** The outbox holds batches an earlier run recorded but did not publish (it was stopped between). */
  unpublished: boolean;
}

export interface Progress {
  target: string;
  attempts: number;
  last: LastAnswer;
}

/** A call's finals, its open targets' progress and the job fields it sets, as one record step writes them. */
export interface CallRecords {
  finals: readonly TargetResult[];
  progress: readonly Progress[];
  fields: Readonly<Record<string, string | number>>;
}

/**
 * Reads and writes one input job's state. Every write goes through record-results.lua, so
 * finals, counts and the outbox move together.
 */
export class JobStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly ttlMs: number,
    private readonly batches: RecordedBatches = recordedBatches,
    /** Where record-results.lua adds each batch's result job; without it ResultPublisher adds them. */
    private readonly resultJobs?: ResultJobs,
  ) {}

  /**
   * Counts the job into its request once, and reads its state as `load` would, its account's as
   * AccountStates.read would, and whether its outbox holds unpublished batches, in one round trip.
   * `firstRun`: this run counted it, so nothing of it was recorded before.
   */
  async init(ref: JobRef, targetCount: number): Promise<JobStart> {
    const [start] = await this.initThen(ref, targetCount, initJob, { keys: [], args: [] }, (reply) => [reply, undefined]);
    return start;
  }

  /**
   * Runs `script`, which does init-job.lua's step on init's keys and arguments (the first of each),
   * then its own on `more` (gewe-start.lua, init-and-take.lua, which compose init-job.lua in); `split` tells init's
   * reply from the rest of the script's.
   */
  async initThen<T>(
    ref: JobRef,
    targetCount: number,
    script: LuaScript,
    more: { keys: readonly string[]; args: readonly (string | number | Buffer)[] },
    split: (reply: unknown) => [unknown, T],
  ): Promise<[JobStart, T]> {
    const keys = [
      this.keys.job(ref.stateId),
      this.keys.request(ref.requestId),
      this.keys.requestResults(ref.requestId),
      this.keys.requestJobs(ref.requestId),
      this.keys.inputJobLock(ref.jobId, ref.queue),
      this.keys.account(ref.provider, ref.account),
      this.keys.outbox(ref.stateId),
      this.keys.requestResultBatches(ref.requestId),
      this.keys.requestResultTexts(ref.requestId),
    ];
    const args = [targetCount, this.ttlMs, new Date().toISOString(), ref.jobId, ref.lockToken ?? ''];
    // Whatever this process knew of the outbox may be stale now (see RecordedBatches.forgetAlone).
    this.batches.forgetAlone(this.keys.outbox(ref.stateId));
    const [reply, rest] = split(await guarded(script.run(this.redis, [...keys, ...more.keys], [...args, ...more.args])));
    const [first, cancelled, job, account, unpublished] = reply as [number, string, string[], string[], number];
    const start = {
      firstRun: Number(first) === 1,
      snapshot: snapshotOf(hashOf(job), cancelled === '1'),
      account: accountStateOf(hashOf(account)),
      unpublished: Number(unpublished) === 1,
    };
    return [start, rest];
  }

  async load(ref: JobRef): Promise<JobSnapshot> {
    const [[, hash], [, cancelled]] = (await this.redis
      .multi()
      .hgetall(this.keys.job(ref.stateId))
      .hget(this.keys.request(ref.requestId), 'cancelled')
      .exec()) as [[unknown, Record<string, string>], [unknown, string | null]];
    return snapshotOf(hash, cancelled === '1');
  }

  /**
   * Counts an unexpected error of the job in its state (`errors`); a recorded call resets it
   * (field `errors: 0`), so the count is of errors in a row. Resolves the count.
   */
  async countError(stateId: string): Promise<number> {
    const key = this.keys.job(stateId);
    const [[, count]] = (await this.redis.multi().hincrby(key, 'errors', 1).pexpire(key, this.ttlMs).exec()) as [[unknown, number]];
    return Number(count);
  }

  /**
   * Records finals, progress and job fields in one atomic step. Returns how many finals were
   * new (a target already final keeps its first result).
   */
  async record(
    ref: JobRef,
    finals: readonly TargetResult[],
    progress: readonly Progress[] = [],
    fields: Readonly<Record<string, string | number>> = {},
  ): Promise<number> {
    const step = this.recordStep(ref, finals, progress, fields);
    return step.settle(await guarded(recordResults.run(this.redis, step.keys, step.args)));
  }

  /**
   * Runs `script`, which does `before`'s step first (its keys and arguments lead, their counts
   * in ARGV[1] and ARGV[2]), then record-results.lua's as record() would, and replies
   * `{ before's reply, record's reply }`, or `{ before's reply, false, record's error }`
   * (src/worker/scripts/release-and-record.lua). Resolves the finals newly recorded; a refused
   * record throws, as record() does, once `onBefore` has had the first step's reply.
   */
  async recordAfter(
    ref: JobRef,
    records: CallRecords,
    script: LuaScript,
    before: { keys: readonly string[]; args: readonly string[] },
    onBefore: (reply: unknown) => void,
  ): Promise<number> {
    const step = this.recordStep(ref, records.finals, records.progress, records.fields);
    const args = [before.keys.length, before.args.length, ...before.args, ...step.args];
    const [first, recorded, refused] = (await guarded(script.run(this.redis, [...before.keys, ...step.keys], args))) as [unknown, unknown, string?];
    onBefore(first);
    if (refused !== undefined) throw storeError(new Error(refused));
    return step.settle(recorded);
  }

  /** record-results.lua's keys and arguments for these finals, and what is done with its reply. */
  private recordStep(ref: JobRef, finals: readonly TargetResult[], progress: readonly Progress[], fields: Readonly<Record<string, string | number>>) {
    const head = JSON.stringify({ requestId: ref.requestId, provider: ref.provider, account: ref.account }).slice(0, -1);
    const packed = packRecord(`${head},"results":[`, finals, progress);
    const args: (string | number | Buffer)[] = [ref.lockToken ?? '', this.ttlMs, packed.batch, packed.headBytes];
    args.push(packed.finalsLayout, packed.finalsNames, packed.resultsLayout, packed.outcomeCounts, packed.distinct ? '1' : '0');
    args.push(packed.progressLayout, packed.progressTexts, ref.stateId);
    const entries = Object.entries(fields);
    args.push(entries.length);
    for (const [name, value] of entries) args.push(name, value);
    // Confirmable finals are indexed for the providers' callbacks (src/callbacks/confirm-index.ts).
    args.push(confirmIndexArg(this.keys.prefix, ref, finals));
    const jobs = this.resultJobs;
    args.push(...(jobs ? jobs.scriptArgs(ref.provider, Date.now()) : ['0', '', '', '', '']));
    const keys = [
      this.keys.job(ref.stateId),
      this.keys.outbox(ref.stateId),
      this.keys.request(ref.requestId),
      this.keys.requestResults(ref.requestId),
      this.keys.inputJobLock(ref.jobId, ref.queue),
      this.keys.requestResultBatches(ref.requestId),
      this.keys.requestResultTexts(ref.requestId),
      ...(jobs?.keys ?? []),
    ];
    const settle = (reply: unknown): number => {
      const [seq, fresh, inOutbox, noEntry] = reply as [number, number, number, number];
      const entryless = Number(noEntry) === 1;
      // Every final was new: the recorded batch is these finals, as serialised above.
      if (seq > 0 && fresh === finals.length) {
        const batch = { requestId: ref.requestId, provider: ref.provider, account: ref.account, results: finals as TargetResult[] };
        const kept = jobs?.on ? { batch, queued: true, entryless } : { batch, json: packed.batch.toString('utf8') };
        this.batches.keep(this.keys.outbox(ref.stateId), seq, kept, entryless || Number(inOutbox) === 1);
      } else {
        // Not kept: a batch noted alone before is alone no more, or may not be.
        this.batches.forgetAlone(this.keys.outbox(ref.stateId));
      }
      return fresh;
    };
    return { keys, args, settle };
  }
}

/** A flat HGETALL reply (field, value, field, value...) as an object. */
function hashOf(flat: readonly string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
  return hash;
}

/** A job's state hash as the processors read it: finals, attempts by target, other fields. */
function snapshotOf(hash: Record<string, string>, cancelled: boolean): JobSnapshot {
  const finals = new Set(finalOutcomes(hash).keys());
  const snapshot: JobSnapshot = { finals, attempts: new Map(), fields: new Map(), cancelled };
  for (const [field, value] of Object.entries(hash)) {
    const kind = field.slice(0, 2);
    if (kind === 'a:') snapshot.attempts.set(field.slice(2), Number(value));
    else if (kind !== 'l:' && kind !== 'f:' && kind !== 'F:') snapshot.fields.set(field, value);
  }
  return snapshot;
}
