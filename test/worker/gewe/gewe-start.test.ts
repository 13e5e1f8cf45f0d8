import { describe, expect, it } from 'vitest';
import { AccountStates } from '../../../src/accounts/account-state.js';
import { GeweRegistry } from '../../../src/accounts/gewe-registry.js';
import { configWith } from '../../../src/config/load.js';
import { systemClock } from '../../../src/lib/clock.js';
import { GewePacer } from '../../../src/pacing/gewe-pacer.js';
import type { GeweJob } from '../../../src/providers/gewe/schema.js';
import type { JobRef } from '../../../src/queue/job-ref.js';
import { JobStore, LostJobError } from '../../../src/queue/job-store.js';
import type { GeweProcessorDeps } from '../../../src/worker/gewe/gewe-context.js';
import { startGewePass } from '../../../src/worker/gewe/gewe-start.js';
import { useRedisPrefix } from '../../helpers/redis-prefix.js';
import { waitFor } from '../../helpers/wait-for.js';
import { Queue } from 'bullmq';
import { DelayingWorker, MovedToDelayed } from '../../../src/queue/delaying-worker.js';
import { INPUT_QUEUE } from '../../../src/queue/names.js';
import { jobRefOf } from '../../../src/queue/job-ref.js';

/** A GeWe pass starts in one round trip: the job's state read, and its slot reserved when it may call. */
describe('a GeWe pass’s first step', () => {
  const db = useRedisPrefix('gewe-start');
  const { keys } = db;
  const interval = 60_000;

  const depsWith = (overrides: Record<string, string> = {}, suspected = false) => {
    const config = configWith({ GEWE_TOKEN: 'gewe-token-test', GEWE_INTERVAL_MS: interval, GEWE_NEW_INTERVAL_MS: interval, GEWE_JITTER: 0, ...overrides });
    return {
      config,
      clock: systemClock,
      store: new JobStore(db.redis, keys, 3_600_000),
      pacer: new GewePacer(db.redis, keys, config.gewe.timeZone, systemClock),
      registry: new GeweRegistry(db.redis, keys, config.gewe.newAccountMs),
      credential: { suspected },
    } as unknown as GeweProcessorDeps;
  };
  let n = 0;
  const fresh = (account?: string) => {
    n += 1;
    const appId = account ?? `wx_${n}`;
    const ref: JobRef = { stateId: `s${n}-1`, jobId: `j${n}`, requestId: `r${n}`, provider: 'gewe', account: appId, queue: 'friend-add' };
    const data = { requestId: ref.requestId, appId, v3: `v3_${n}`, option: 2 } as GeweJob;
    return { ref, data };
  };
  const slotOf = async (ref: JobRef) => db.redis.hget(keys.gewePace(ref.account), `r:${ref.stateId}`);

  it('reads the job and reserves its slot in the same step; the next job of the account gets the next slot', async () => {
    const deps = depsWith();
    const first = fresh('wx_line');
    const { start, reserved } = await startGewePass(first.data, first.ref, deps);
    expect(start.firstRun).toBe(true);
    expect(reserved).toBeDefined();
    expect(await slotOf(first.ref)).toBe(String(reserved!.slot));
    const second = fresh('wx_line');
    const next = await startGewePass(second.data, second.ref, deps);
    expect(next.reserved!.slot).toBeGreaterThanOrEqual(reserved!.slot + interval);
    // Asking again keeps the job's slot, as gewe-reserve.lua alone does.
    expect((await startGewePass(first.data, first.ref, deps)).reserved).toEqual(reserved);
  });

  const blocked: [string, (ref: JobRef) => Promise<unknown>][] = [
    ['its request is cancelled', (ref) => db.redis.hset(keys.request(ref.requestId), 'cancelled', '1')],
    ['a final is recorded for it', (ref) => db.redis.hset(keys.job(ref.stateId), 'seq', '1')],
    ['its add may be in flight', (ref) => db.redis.hset(keys.job(ref.stateId), 'inFlight', '1')],
    ['its account is paused', (ref) => new AccountStates(db.redis, keys).pause('gewe', ref.account)],
    ['its account is parked', (ref) => db.redis.hset(keys.account('gewe', ref.account), 'parked', '1')],
    ['its account rests after a strike', (ref) => db.redis.hset(keys.account('gewe', ref.account), 'restUntil', Date.now() + 60_000)],
    ['its account is locked out', (ref) => db.redis.hset(keys.account('gewe', ref.account), 'lockedUntil', Date.now() + 60_000)],
    ['its account is disabled', (ref) => db.redis.hset(keys.account('gewe', ref.account), 'disabledUntil', Date.now() + 60_000)],
  ];
  it.each(blocked)('reserves nothing when %s (the pass decides as before)', async (_, block) => {
    const deps = depsWith();
    const { ref, data } = fresh();
    await block(ref);
    const { start, reserved } = await startGewePass(data, ref, deps);
    expect(reserved).toBeUndefined();
    expect(await slotOf(ref)).toBeNull();
    expect(start.firstRun).toBe(true);
  });

  it('an account whose rest is over, or a state of another field, does not stop the reservation', async () => {
    const { ref, data } = fresh();
    await db.redis.hset(keys.account('gewe', ref.account), 'restUntil', Date.now() - 1000, 'strikes', '1');
    expect((await startGewePass(data, ref, depsWith())).reserved).toBeDefined();
  });

  it("reserves no sooner than the job's own retry time", async () => {
    const { ref, data } = fresh();
    const retryAt = Date.now() + 45_000;
    await db.redis.hset(keys.job(ref.stateId), 'retryAt', retryAt);
    const { reserved } = await startGewePass(data, ref, depsWith());
    expect(reserved!.slot).toBeGreaterThanOrEqual(retryAt);
  });

  it('asks for no slot outside the active hours, nor while the credential may be suspended', async () => {
    const hour = new Date().getUTCHours();
    const closed = `${String((hour + 2) % 24).padStart(2, '0')}:00-${String((hour + 3) % 24).padStart(2, '0')}:00`;
    const outside = fresh();
    const away = await startGewePass(outside.data, outside.ref, depsWith({ GEWE_ACTIVE_HOURS: closed, GEWE_TIMEZONE: 'UTC' }));
    expect(away.reserved).toBeUndefined();
    expect(away.start.firstRun).toBe(true);
    const suspended = fresh();
    expect((await startGewePass(suspended.data, suspended.ref, depsWith({}, true))).reserved).toBeUndefined();
    expect(await slotOf(suspended.ref)).toBeNull();
  });

  it('refuses a job whose BullMQ lock is no longer this worker’s, before reserving', async () => {
    const { ref, data } = fresh();
    const lost = { ...ref, lockToken: 'token-of-a-worker-that-lost-it' };
    await expect(startGewePass(data, lost, depsWith())).rejects.toBeInstanceOf(LostJobError);
    expect(await slotOf(ref)).toBeNull();
  });

  it('moves a job whose slot is ahead to delayed until it, and takes the next job, in that same step', async () => {
    const deps = depsWith();
    const queue = new Queue(INPUT_QUEUE, { connection: db.redis, prefix: db.prefix });
    const [first, second, other] = await queue.addBulk([
      { name: 'gewe', data: { requestId: 'rm', appId: 'wx_move', v3: 'v3_m1', option: 2 } },
      { name: 'gewe', data: { requestId: 'rm', appId: 'wx_move', v3: 'v3_m2', option: 2 } },
      { name: 'gewe', data: { requestId: 'rm', appId: 'wx_other', v3: 'v3_m3', option: 2 } },
    ]);
    const slots = new Map<string, number>();
    const movedWith = new Map<string, unknown>();
    let fetches = 0;
    const worker = new (class extends DelayingWorker {
      protected override moveToActive(token: string, name?: string) {
        fetches += 1;
        return super.moveToActive(token, name);
      }
    })(
      INPUT_QUEUE,
      async (job, token) => {
        const ref = jobRefOf(job, 'gewe', { requestId: job.data.requestId, account: job.data.appId }, token);
        const { reserved, moved } = await startGewePass(job.data as GeweJob, ref, deps, worker.delayStep(job, token!));
        slots.set(String(job.id), reserved!.slot);
        if (moved !== undefined) movedWith.set(String(job.id), moved);
        if (moved !== undefined) throw new MovedToDelayed(moved, 'waits for its slot');
        return 'due';
      },
      { connection: db.redis, prefix: db.prefix, concurrency: 1 },
    );
    try {
      await waitFor('the other account’s job done', async () => (await queue.getJob(other!.id!))?.returnvalue === 'due', 10_000);
    } finally {
      await worker.close();
      await queue.close();
    }
    expect((await queue.getJob(first!.id!))!.returnvalue).toBe('due');
    // The second add of the account waits, delayed until the slot reserved for it, no attempt used.
    const delayedAt = Number(await db.redis.zscore(`${db.prefix}:${INPUT_QUEUE}:delayed`, second!.id!));
    expect(Math.floor(delayedAt / 0x1000)).toBe(slots.get(second!.id!));
    expect(slots.get(second!.id!)).toBeGreaterThanOrEqual(slots.get(first!.id!)! + interval);
    expect((await queue.getJob(second!.id!))!.attemptsMade).toBe(0);
    // Its move brought the worker's next job (BullMQ's raw job, the third), which the worker ran
    // without a fetch of its own: one fetch took the first job (the second came with the first's
    // completion), and one more looked once all was done.
    expect(movedWith.size).toBe(1);
    expect(Array.isArray(movedWith.get(second!.id!))).toBe(true);
    expect(fetches).toBeLessThanOrEqual(2);
  });
});
