import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/config.js';
import { assertCredentials } from '../config/provider-credentials.js';
import { assertApiAuth } from '../config/api-auth.js';

export interface LoadOptions {
  /**
   * Whether every enabled provider must have its credentials (the worker, the API, `npm start`).
   * The demo brings its own simulators and credentials, so it does not ask.
   */
  requireCredentials?: boolean;
  /** Whether the process serves the API, which then wants its credentials unless API_AUTH=off. */
  servesApi?: boolean;
}

/** For entry points: a bad configuration stops the process with the variable named, exit code 2. */
export function loadConfigOrExit(options: LoadOptions = {}): Config {
  try {
    const config = loadConfig();
    if (options.requireCredentials ?? true) assertCredentials(config);
    if (options.servesApi) assertApiAuth(config);
    return config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
