import { startGeweSimulator, type GeweSimulator } from '../../src/sim/gewe/index.js';
import { TEST_GEWE_TOKEN } from './harness.js';

export function startTestGeweSim(latencyMs = 2): Promise<GeweSimulator> {
  return startGeweSimulator({ token: TEST_GEWE_TOKEN, latencyMs });
}

/** The environment that points a worker at the GeWe simulator, with short intervals for tests. */
export function geweEnv(sim: GeweSimulator, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return {
    GEWE_BASE_URL: sim.url,
    GEWE_TOKEN: TEST_GEWE_TOKEN,
    GEWE_NEW_INTERVAL_MS: 50,
    GEWE_INTERVAL_MS: 50,
    GEWE_ACCEPT_INTERVAL_MS: 50,
    GEWE_JITTER: 0,
    GEWE_DAILY_CAP_NEW: 1000,
    GEWE_DAILY_CAP: 1000,
    RETRY_BASE_MS: 20,
    ...extra,
  };
}

let counter = 0;

/** A gewe job's data; v3 names drive the simulator (see src/sim/gewe/behaviour.ts). */
export function geweJob(appId: string, v3: string, extra: Record<string, unknown> = {}) {
  counter += 1;
  return { appId, scene: 3, option: 2, v3, v4: `v4_${counter}`, content: 'hello', ...extra };
}
