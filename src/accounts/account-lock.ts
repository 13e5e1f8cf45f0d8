import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../lib/redis-client.js';
import type { Keys } from '../lib/keys.js';
import type { ProviderName } from '../domain/types.js';
import type { LockReleases } from './lock-releases.js';
import { LuaScript, scriptBeside } from '../lib/lua-script.js';
import { ContendedAccounts } from './contended-accounts.js';

/** lock-acquire.lua, for a script that takes the account as its first step (AccountLocks.acquireThen). */
export const LOCK_ACQUIRE_LUA = new URL('./scripts/lock-acquire.lua', import.meta.url);
const acquireScript = new LuaScript(LOCK_ACQUIRE_LUA);
/** lock-release.lua, for a script that lets the account go as one of its steps (Lease.releaseStep). */
export const LOCK_RELEASE_LUA = new URL('./scripts/lock-release.lua', import.meta.url);
const releaseScript = new LuaScript(LOCK_RELEASE_LUA);
const renewScript = scriptBeside(import.meta.url, 'lock-renew.lua');

/** A held lease; renewed in the background until released. */
export interface Lease {
  /**
   * The account had a run of strikes on record when taken (strikes in a row, a rest). Only the
   * holder's call records a strike, so an account taken clean needs no clearing after its call.
   */
  readonly struck: boolean;
  /** What the step taken with the account replied (acquireThen's TakeStep). */
  readonly stepReply?: unknown;
  /** Lets the account go; names its first waiter, if any, and where that waiter's job is. */
  release(): Promise<NextWaiter | undefined>;
  /**
   * Lets the account go as the first step of a larger script (composedScript with
   * LOCK_RELEASE_LUA): stops renewing the lease now, and gives lock-release.lua's keys and
   * arguments, and how to read its reply. The caller runs the script, or `release()`s after all.
   */
  releaseStep(): ReleaseStep;
}

/**
 * A step run in the same script right after the account is taken: `script` composes
 * lock-acquire.lua as the function `acquire`, then the step, which it runs only once the lease is
 * ours (as take-and-begin.lua does). Its keys and arguments follow lock-acquire.lua's (ARGV[1]
 * and ARGV[2] say how many keys and arguments lock-acquire.lua takes); it returns { lock-acquire.lua's
 * reply, the step's or false }.
 */
export interface TakeStep {
  script: LuaScript;
  keys: readonly string[];
  args: readonly (string | number)[];
}

/** lock-acquire.lua's take as a part of a larger script (AccountLocks.takePart). */
export interface TakePart {
  keys: string[];
  args: (string | number)[];
  /** What the take's reply (and the script's step's, if any) says. */
  outcome(reply: unknown, stepReply?: unknown): Lease | Busy | Blocked;
}

/** lock-release.lua's part of a larger script: its keys and arguments, and its reply read. */
export interface ReleaseStep {
  keys: string[];
  args: string[];
  nextWaiter(reply: unknown): NextWaiter | undefined;
}

/**
 * An account's first waiter, named on release, and where its job is (lock-release.lua):
 * `delayed` in the input queue (promote it), `queued` there but not delayed (running, holding its
 * slot, or waiting its turn: nothing to wake), `elsewhere` (ended, handed off or gone: look for
 * it), `unknown` when the locks were not told the input queue.
 */
export interface NextWaiter {
  id: string;
  place: 'delayed' | 'queued' | 'elsewhere' | 'unknown';
}

/** Where the jobs that wait for accounts are: the input queue's delayed set and job key prefix. */
export interface WaiterQueue {
  delayedKey: string;
  jobKeyPrefix: string;
}

/** Who holds an account's lease now, for operators (GET /v1/accounts/{provider}/{account}). */
export interface LeaseView {
  held: boolean;
  /** The job that holds it (the waiter id it was taken with), when held. */
  jobId: string | null;
  /** When it lapses unless renewed (ISO), when held. */
  until: string | null;
  /** Jobs in line for the account. */
  waiters: number;
}

/** The account was busy: the caller joined its waiters at this place (0 = first in line). */
export interface Busy {
  rank: number;
}

/**
 * The account was free, but its state says it must not be called now (paused, parked, resting,
 * locked out, disabled): it changed after the caller read it. The caller reads it again.
 */
export interface Blocked {
  blocked: true;
}

/**
 * How a caller near the head of a busy account's line waits in place (holdInLine): up to `ms`,
 * calling `onHold` as it starts (the TIM job leaves the admission line then).
 */
export interface Hold {
  ms: number;
  onHold?: () => void;
  /** Called once a hold ends, however it ended, with how long it was (for the wait metrics). */
  onHeld?: (ms: number) => void;
}

/** How many of a busy account's waiters wait in place for it (holdInLine); the rest wait delayed. */
export const HELD_IN_LINE = 4;

/** A busy account's waiter looks again after about this, times its place in line, unless woken. */
export const BUSY_RECHECK_MS = 2000;

/** How long a waiter at `rank` sleeps before looking again (the holder's release wakes the first). */
export function busyWaitMs(rank: number): number {
  return Math.min(60_000, BUSY_RECHECK_MS * (1 + rank) * (0.75 + Math.random() / 2));
}

/**
 * One call in flight per account (TIM From_Account, GeWe appId), across every worker. A lease
 * lives `leaseMs` and is renewed every third of that while held, so a killed worker frees its
 * account within `leaseMs`, while a slow call keeps it. A job that finds the account busy joins
 * its waiters; the holder names the first waiter on release, and the caller wakes it.
 */
export class AccountLocks {
  private readonly contended = new ContendedAccounts();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly leaseMs: number,
    private readonly releases?: LockReleases,
    private readonly waiterQueue?: WaiterQueue,
  ) {}

  /**
   * Without taking it: when the account is busy, joins its waiters and says where. A job checks
   * this before it does any work, so a busy account costs its waiters one round trip a look.
   * `hold`: see holdInLine.
   */
  async peek(provider: ProviderName, account: string, waiterId: string, queuedAt = Date.now(), hold?: Hold): Promise<Busy | undefined> {
    const lockKey = this.keys.accountLock(provider, account);
    const keys = [lockKey, this.waitersKey(provider, account)];
    const look = async () => {
      const got = Number(await acquireScript.run(this.redis, keys, ['', this.leaseMs, waiterId, queuedAt, 'peek']));
      if (got >= 0) return undefined;
      this.contended.foundBusy(lockKey);
      return { rank: -got - 1 };
    };
    // Let go is free enough for a peek: looking again would only say so (its take looks anyway).
    return this.holdInLine(lockKey, look, hold, () => undefined);
  }

  /**
   * peek, for an account this process found busy lately (ContendedAccounts); for any other,
   * undefined at once, with no round trip: its take will find it busy if it is.
   */
  async peekIfContended(provider: ProviderName, account: string, waiterId: string, queuedAt = Date.now(), hold?: Hold): Promise<Busy | undefined> {
    if (!this.contended.mayBeBusy(this.keys.accountLock(provider, account))) return undefined;
    return this.peek(provider, account, waiterId, queuedAt, hold);
  }

  /**
   * Takes the account, or joins its waiters. Waiters line up by `queuedAt` (when their work was
   * queued; ties by id), not by when they happened to look: a small job that finds the account
   * busy sooner must not jump ahead of a bigger one queued before it. A free account whose state
   * says it must not be called now is not taken (Blocked): see lock-acquire.lua.
   * `hold`: see holdInLine.
   */
  async acquire(
    provider: ProviderName,
    account: string,
    waiterId: string,
    queuedAt = Date.now(),
    now = Date.now(),
    hold?: Hold,
  ): Promise<Lease | Busy | Blocked> {
    const lockKey = this.keys.accountLock(provider, account);
    let first = true;
    const look = () => this.take(provider, account, waiterId, queuedAt, first ? now : Date.now()).finally(() => (first = false));
    return this.holdInLine(lockKey, look, hold);
  }

  /**
   * Takes the account as acquire does (without waiting in place), and runs `step` in the same
   * round trip once it is taken: its reply comes with the lease.
   */
  async acquireThen(provider: ProviderName, account: string, waiterId: string, queuedAt: number, step: TakeStep): Promise<Lease | Busy | Blocked> {
    return this.take(provider, account, waiterId, queuedAt, Date.now(), step);
  }

  /**
   * Looks at the account; while it is busy and the caller is among the first HELD_IN_LINE of its
   * waiters, waits in place for the holder to let go (told by LockReleases, from any worker) and
   * looks again, until `hold.ms` has passed. Whoever asks first after a release gets the account,
   * as without the hold. Why: going back to delayed and coming back costs a job a whole BullMQ pass
   * (see LockReleases); the rest of the line waits delayed, as before.
   * `lookAfterRelease`: what to look with once the holder let go (by default, `look` again).
   */
  private async holdInLine<T>(lockKey: string, look: () => Promise<T>, hold: Hold | undefined, lookAfterRelease: () => T | Promise<T> = look): Promise<T> {
    const deadline = Date.now() + (hold?.ms ?? 0);
    // Listening before looking: a release just after the look is not missed.
    const listen = () => (this.releases && Date.now() < deadline ? this.releases.waitFor(lockKey, deadline - Date.now()) : undefined);
    let release = listen();
    let seen = await look();
    let heldSince: number | undefined;
    while (release && ((seen as Partial<Busy> | undefined)?.rank ?? HELD_IN_LINE) < HELD_IN_LINE) {
      if (heldSince === undefined) {
        if (!this.releases!.startHold()) break;
        heldSince = Date.now();
        hold?.onHold?.();
      }
      if (!(await release.freed)) break;
      release = listen();
      seen = await lookAfterRelease();
    }
    release?.cancel();
    if (heldSince === undefined) return seen;
    this.releases!.endHold();
    hold?.onHeld?.(Date.now() - heldSince);
    return seen;
  }

  private async take(
    provider: ProviderName,
    account: string,
    waiterId: string,
    queuedAt: number,
    now: number,
    step?: TakeStep,
  ): Promise<Lease | Busy | Blocked> {
    const take = this.takePart(provider, account, waiterId, queuedAt, now);
    const [reply, stepReply] = step
      ? ((await step.script.run(this.redis, [...take.keys, ...step.keys], [take.keys.length, take.args.length, ...take.args, ...step.args])) as [
          unknown,
          unknown,
        ])
      : [await acquireScript.run(this.redis, take.keys, take.args), undefined];
    return take.outcome(reply, stepReply);
  }

  /**
   * lock-acquire.lua's take as a part of a larger script that runs it after steps of its own
   * (init-and-take.lua): its keys and arguments, and what its reply means (a lease, renewed from
   * then on, Busy or Blocked).
   */
  takePart(provider: ProviderName, account: string, waiterId: string, queuedAt: number, now = Date.now()): TakePart {
    const lockKey = this.keys.accountLock(provider, account);
    const waitersKey = this.waitersKey(provider, account);
    // The holder's id leads the token, so an operator can see which job holds the account.
    const token = `${waiterId}|${randomUUID()}`;
    const keys = [lockKey, waitersKey, this.keys.account(provider, account)];
    const args = [token, this.leaseMs, waiterId, queuedAt, 'take', now];
    return { keys, args, outcome: (reply, stepReply) => this.leaseOf(reply, stepReply, lockKey, waitersKey, token) };
  }

  private leaseOf(reply: unknown, stepReply: unknown, lockKey: string, waitersKey: string, token: string): Lease | Busy | Blocked {
    if (!Array.isArray(reply)) {
      this.contended.foundBusy(lockKey);
      return { rank: -Number(reply) - 1 };
    }
    if (reply[0] === 'blocked') return { blocked: true };
    const timer = setInterval(
      () => {
        renewScript.run(this.redis, [lockKey], [token, this.leaseMs]).catch(() => undefined);
      },
      Math.max(100, Math.floor(this.leaseMs / 3)),
    );
    timer.unref();
    const releaseStep = (): ReleaseStep => {
      clearInterval(timer);
      const queue = this.waiterQueue;
      return {
        keys: queue ? [lockKey, waitersKey, queue.delayedKey] : [lockKey, waitersKey],
        args: queue ? [token, this.keys.lockReleases(), queue.jobKeyPrefix] : [token, this.keys.lockReleases()],
        nextWaiter: (releaseReply) => {
          const next = nextWaiterOf(releaseReply);
          if (!next) this.contended.letGoUnwaited(lockKey);
          return next;
        },
      };
    };
    return {
      struck: Number(reply[1]) === 1,
      stepReply,
      releaseStep,
      release: async () => {
        const step = releaseStep();
        return step.nextWaiter(await releaseScript.run(this.redis, step.keys, step.args));
      },
    };
  }

  /** Who holds the account now, until when, and how many wait; reads only. */
  async view(provider: ProviderName, account: string, now = Date.now()): Promise<LeaseView> {
    const lockKey = this.keys.accountLock(provider, account);
    const [[, token], [, ttl], [, waiters]] = (await this.redis.multi().get(lockKey).pttl(lockKey).zcard(this.waitersKey(provider, account)).exec()) as [
      [unknown, string | null],
      [unknown, number],
      [unknown, number],
    ];
    if (token === null) return { held: false, jobId: null, until: null, waiters };
    const cut = token.lastIndexOf('|');
    return {
      held: true,
      jobId: cut > 0 ? token.slice(0, cut) : null,
      until: ttl > 0 ? new Date(now + ttl).toISOString() : null,
      waiters,
    };
  }

  /** Forgets a waiter that will never come back (its job ended). */
  async forget(provider: ProviderName, account: string, waiterId: string): Promise<void> {
    await this.redis.zrem(this.waitersKey(provider, account), waiterId);
  }

  private waitersKey(provider: ProviderName, account: string): string {
    return `${this.keys.accountLock(provider, account)}:waiters`;
  }
}

function nextWaiterOf(reply: unknown): NextWaiter | undefined {
  if (!Array.isArray(reply)) return undefined;
  const [id, place] = reply as [string, string];
  return { id, place: place === 'delayed' || place === 'queued' || place === 'elsewhere' ? place : 'unknown' };
}
