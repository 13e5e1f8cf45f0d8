import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/config.js';

/** For entry points: a bad configuration stops the process with the variable named, exit code 2. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
