import type { Logger } from '../lib/logger.js';

/**
 * Starts a service and stops it once on SIGTERM or SIGINT (a second signal exits at once).
 * Entry points load their configuration first (load-config-or-exit.ts: exit code 2).
 */
export async function runUntilSignal(logger: Logger, start: () => Promise<() => Promise<void>>): Promise<void> {
  let stop: () => Promise<void>;
  try {
    stop = await start();
  } catch (err) {
    logger.fatal({ err }, 'failed to start');
    process.exit(1);
  }
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'draining: calls in flight finish, then exit');
    stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'error while draining');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}
