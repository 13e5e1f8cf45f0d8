import type { Arrival, TimSimStats } from '../../src/sim/tim/index.js';
import type { GeweArrival } from '../../src/sim/gewe/index.js';
import { NodeChild, readyUrl } from './child.js';
import type { Scope } from './scope.js';

/** The app and keys the bench signs with: made up, for the simulators only. */
export const BENCH_SDKAPPID = 1400000077;
export const BENCH_TIM_KEY = 'bench-tim-key-0d9c8b7a6f5e4d3c';
export const BENCH_GEWE_TOKEN = 'bench-gewe-token-1a2b3c4d5e6f';

/** A simulator running as its own process, driven through its control routes. */
export interface SimProcess<A> {
  url: string;
  pid: number;
  arrivals(): Promise<A[]>;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** For a closer look at a simulator: BENCH_SIM_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
function simNodeArgs(): string[] {
  return process.env.BENCH_SIM_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
}

/** src/sim/tim/main.ts; `rate` is its own limit (it answers 60007 over it). */
export async function startTimSim(scope: Scope, opts: { rate: number; latencyMs?: number }): Promise<SimProcess<Arrival> & { stats(): Promise<TimSimStats> }> {
  // The gateway: on a machine the workers keep busy, the simulator's own GC and work must not
  // delay its arrival stamps, as they would not delay TIM's.
  const args = ['--port', '0', '--sdkappid', String(BENCH_SDKAPPID), '--key', BENCH_TIM_KEY, '--rate', String(opts.rate), '--gateway'];
  if (opts.latencyMs !== undefined) args.push('--latency', String(opts.latencyMs));
  const child = await scope.start(NodeChild.start({ label: 'tim simulator', entry: 'src/sim/tim/main.ts', args, ready: readyUrl, nodeArgs: simNodeArgs() }));
  const url = child.ready;
  return {
    url,
    pid: child.pid,
    // GET /_sim/arrivals answers the bare array.
    arrivals: () => getJson<Arrival[]>(`${url}/_sim/arrivals`),
    stats: () => getJson<TimSimStats>(`${url}/_sim/stats`),
  };
}

/** src/sim/gewe/main.ts. */
export async function startGeweSim(scope: Scope, opts: { latencyMs?: number } = {}): Promise<SimProcess<GeweArrival>> {
  const args = ['--port', '0', '--token', BENCH_GEWE_TOKEN];
  if (opts.latencyMs !== undefined) args.push('--latency', String(opts.latencyMs));
  const child = await scope.start(NodeChild.start({ label: 'gewe simulator', entry: 'src/sim/gewe/main.ts', args, ready: readyUrl, nodeArgs: simNodeArgs() }));
  const url = child.ready;
  return {
    url,
    pid: child.pid,
    // GET /_sim/arrivals answers {arrivals: [...]}.
    arrivals: async () => (await getJson<{ arrivals: GeweArrival[] }>(`${url}/_sim/arrivals`)).arrivals,
  };
}

/** What a worker needs to reach the TIM simulator. */
export function timEnv(simUrl: string, ratePerSec: number): Record<string, string> {
  return { PROVIDERS: 'tim', TIM_BASE_URL: simUrl, TIM_SDKAPPID: String(BENCH_SDKAPPID), TIM_SECRET_KEY: BENCH_TIM_KEY, TIM_RATE_PER_SEC: String(ratePerSec) };
}

export function geweEnv(simUrl: string): Record<string, string> {
  return { PROVIDERS: 'gewe', GEWE_BASE_URL: simUrl, GEWE_TOKEN: BENCH_GEWE_TOKEN };
}
