import type { Config } from './config.js';
import { ConfigError } from './load.js';

/**
 * Secure by default (API_AUTH): the producer API wants a bearer token and the dashboard basic
 * auth. An API without them refuses to start, unless API_AUTH=off says the openness is on purpose
 * (the demo, a private network behind another gate).
 */
export function missingApiAuth(config: Config): string[] {
  if (config.api.auth === 'off') return [];
  const missing: string[] = [];
  if (!config.api.token) missing.push('API_TOKEN (the producer API wants a bearer token)');
  if (!config.api.dashboardUser || !config.api.dashboardPassword) {
    missing.push('DASHBOARD_USER and DASHBOARD_PASSWORD (the dashboard wants basic auth)');
  }
  return missing;
}

/** Throws ConfigError naming what an API with API_AUTH=token lacks. */
export function assertApiAuth(config: Config): void {
  const missing = missingApiAuth(config);
  if (missing.length === 0) return;
  const lines = missing.map((m) => `  ${m}: required`).join('\n');
  throw new ConfigError(`invalid configuration:\n${lines}\n  (or set API_AUTH=off to run the API and dashboard without credentials on purpose)`);
}
