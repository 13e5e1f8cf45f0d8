import { envSchema } from './schema.js';
import { toConfig, type Config } from './config.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment once. The only place that reads process.env (entry points pass it in).
 * Empty strings count as unset, so `FOO=` in a .env file falls back to the default.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return toConfig(parsed.data);
}

/** Overrides on top of the environment's values: for tests, the demo and the bench. */
export function configWith(overrides: Record<string, string | number | boolean | undefined>, env: Record<string, string | undefined> = {}): Config {
  const asStrings = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, v === undefined ? undefined : String(v)]));
  return loadConfig({ ...env, ...asStrings });
}
