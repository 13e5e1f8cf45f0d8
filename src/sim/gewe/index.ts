import type { AddressInfo } from 'node:net';
import type { GeweArrival, GeweViolation } from './arrival-log.js';
import type { SimFaultKind } from './faults.js';
import { createSimServer } from './server.js';
import { createSimState } from './state.js';

export type { GeweArrival, GeweViolation } from './arrival-log.js';
export type { SimFaultKind } from './faults.js';
export { SIM_FAULT_KINDS } from './faults.js';
export { behaviourOf, type SimBehaviour } from './behaviour.js';

export interface GeweSimulatorOptions {
  /** 0 or unset: a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The X-GEWE-TOKEN the simulator accepts. */
  token: string;
  /** Delay before every answer, in ms, so that overlapping calls are visible. Default 2. */
  latencyMs?: number;
}

export interface GeweSimulator {
  /** Origin to use as GEWE_BASE_URL, such as `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every addContacts call so far, in order of recording. */
  arrivals(): GeweArrival[];
  /** Every addContacts call that reached the simulator so far, faults included, counted per v3. */
  callsPerV3(): Record<string, number>;
  /** Calls that overlapped another of their appId, or came too close after the previous one. */
  violations(): GeweViolation[];
  /** Least spacing between arrivals of `appId`, in ms, for later calls; null removes it. */
  setMinSpacing(appId: string, ms: number | null): void;
  /** The next `count` calls get this fault, whatever their v3. */
  injectFault(kind: SimFaultKind, count?: number): void;
  /** Forgets arrivals, per-v3 counters (callsPerV3 too), pending faults and spacing rules. */
  reset(): void;
  /** Stops listening and drops every connection, hanging ones included. Safe to call twice. */
  close(): Promise<void>;
}

export const DEFAULT_SIM_LATENCY_MS = 2;

/** Starts a GeWe addContacts simulator: a real HTTP server. */
export async function startGeweSimulator(opts: GeweSimulatorOptions): Promise<GeweSimulator> {
  if (!opts.token) throw new Error('startGeweSimulator: token is required');
  const host = opts.host ?? '127.0.0.1';
  const state = createSimState(opts.token, opts.latencyMs ?? DEFAULT_SIM_LATENCY_MS);
  const server = createSimServer(state);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    arrivals: () => state.log.arrivals(),
    callsPerV3: () => Object.fromEntries(state.reachedByV3),
    violations: () => state.log.violations(),
    setMinSpacing: (appId, ms) => state.log.setMinSpacing(appId, ms),
    injectFault: (kind, count = 1) => state.faults.inject(kind, count),
    reset: () => state.reset(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        state.stop();
        server.close(() => resolve());
        // Keep-alive and hanging connections would hold close() forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** A wildcard address is not something a client can dial. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
export { setGeweSimCallbacks, sendSimFriendRequest, type GeweCallbackSettings, type SimFriendRequest } from './callbacks.js';
