import { REDIS_URL } from './redis.js';
import type { Scope } from './scope.js';
import { BENCH_SDKAPPID, BENCH_TIM_KEY } from './sims.js';

/** The environment of bench/anchors/anchor-worker.ts: which anchor (`anchor`: ANCHOR and its settings), the scope's queue, the simulator. */
export function anchorWorkerEnv(scope: Scope, simUrl: string, concurrency: number, anchor: Record<string, string>): Record<string, string> {
  return {
    ...anchor,
    REDIS_URL,
    QUEUE_PREFIX: scope.prefix,
    TIM_BASE_URL: simUrl,
    TIM_SDKAPPID: String(BENCH_SDKAPPID),
    TIM_SECRET_KEY: BENCH_TIM_KEY,
    CONCURRENCY: String(concurrency),
  };
}
