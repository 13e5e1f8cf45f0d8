import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { round } from './log.js';
import { REDIS_URL } from './redis.js';

/** Linux reports CPU time in clock ticks of 1/100 s on every platform Node supports. */
const TICK_MS = 10;

/** User + system CPU time a process has used so far, in ms; undefined once it is gone. */
export function cpuMs(pid: number): number | undefined {
  try {
    // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** Redis's own pid, only when it runs on this machine (else /proc would name another process). */
export async function localRedisPid(redis: Redis): Promise<number | undefined> {
  const host = new URL(REDIS_URL).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) return undefined;
  const pid = /process_id:(\d+)/.exec(await redis.info('server'))?.[1];
  return pid === undefined ? undefined : Number(pid);
}

/**
 * CPU used by named groups of processes between `start` and `perUnit`: the cost of one call in
 * each part of the system, which the wall clock hides when other work shares the cores.
 */
export function cpuMeter(groups: Record<string, (number | undefined)[]>) {
  const read = () =>
    Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids.reduce<number>((s, p) => s + (p === undefined ? 0 : (cpuMs(p) ?? 0)), 0)]));
  const before = read();
  return {
    /** Stops the meter; `per(units)` then gives CPU ms per unit (a call, a target) for each group. */
    stop() {
      const after = read();
      return {
        per: (units: number): Record<string, number> =>
          Object.fromEntries(Object.keys(groups).map((name) => [name, round((after[name]! - before[name]!) / Math.max(1, units), 2)])),
      };
    },
  };
}
