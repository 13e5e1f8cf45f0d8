import { startTimSimulator, type TimSimulator } from '../../src/sim/tim/index.js';
import { TEST_SDKAPPID, TEST_TIM_KEY } from './harness.js';

/** The TIM simulator with the test app's id and key, on a free port. */
export function startTestTimSim(options: { ratePerSec?: number; latencyMs?: number } = {}): Promise<TimSimulator> {
  return startTimSimulator({ sdkAppId: TEST_SDKAPPID, secretKey: TEST_TIM_KEY, port: 0, ...options });
}

/** The environment that points a worker at the simulator. */
export function timEnv(sim: TimSimulator, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return { TIM_SDKAPPID: TEST_SDKAPPID, TIM_SECRET_KEY: TEST_TIM_KEY, TIM_BASE_URL: sim.url, ...extra };
}

export function timTargets(names: readonly string[]) {
  return names.map((toAccount) => ({ toAccount, addSource: 'AddSource_Type_Web' }));
}
