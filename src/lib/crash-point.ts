import type { CrashPoint } from '../config/config.js';

/**
 * The kill tests' hook: when CRASH_AT names this point, the process SIGKILLs itself there, as a
 * crash or an OOM kill would, with no chance to clean up. Unset in production: then a no-op.
 */
export function crashPoint(configured: CrashPoint | undefined, here: CrashPoint): void {
  if (configured === here) process.kill(process.pid, 'SIGKILL');
}
