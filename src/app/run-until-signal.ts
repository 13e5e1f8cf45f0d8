import type { Logger } from '../lib/logger.js';
import { ConfigError } from '../config/load.js';

/**
 * Starts a service and stops it once on SIGTERM or SIGINT (a second signal exits at once).
 * A bad configuration stops the process with the message naming the variable, exit code 2.
 */
export async function runUntilSignal(logger: Logger, start: () => Promise<() => Promise<void>>): Promise<void> {
  let stop: () => Promise<void>;
  try {
    stop = await start();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
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
