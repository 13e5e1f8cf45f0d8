import type { Config } from './config.js';
import { ConfigError } from './load.js';
import type { ProviderName } from '../domain/types.js';

/** The variables each provider cannot work without. */
const REQUIRED: Record<ProviderName, (config: Config) => Array<[string, unknown]>> = {
  tim: (c) => [
    ['TIM_SDKAPPID', c.tim.sdkAppId],
    ['TIM_SECRET_KEY', c.tim.secretKey],
  ],
  gewe: (c) => [['GEWE_TOKEN', c.gewe.token]],
};

/**
 * The variables that an enabled provider (PROVIDERS) lacks. A process that would serve a provider
 * without its credentials must not start: it would take that provider's jobs and could only hold
 * them back, so it says so at once instead.
 */
export function missingCredentials(config: Config): string[] {
  return config.providers.flatMap((provider) =>
    REQUIRED[provider](config)
      .filter(([, value]) => value === undefined || value === '')
      .map(([name]) => `${name} (needed because PROVIDERS includes ${provider})`),
  );
}

/** Throws ConfigError naming every missing credential of an enabled provider. */
export function assertCredentials(config: Config): void {
  const missing = missingCredentials(config);
  if (missing.length === 0) return;
  const lines = missing.map((m) => `  ${m}: required`).join('\n');
  throw new ConfigError(`invalid configuration:\n${lines}\n  (PROVIDERS names the providers this deployment serves)`);
}
