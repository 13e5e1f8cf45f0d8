import type { CrashPoint } from '../config/config.js';

/**
 * The kill tests' hook: when CRASH_AT names this point, the process SIGKILLs itself there, as a
 * crash or an OOM kill would, with no chance to clean up. Unset in production: then a no-op.
 */
export function crashPoint(configured: CrashPoint | undefined, here: CrashPoint): void {
  if (configured === here) process.kill(process.pid, 'SIGKILL');
}

/** The bug tests' hook: when CRASH_AT names this point, a processor throws there, as a bug would. */
export function injectedBug(configured: CrashPoint | undefined, here: CrashPoint): void {
  if (configured === here) throw new Error(`injected bug at ${here}`);
}
