import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { preciseNow } from '../shared/precise-now.js';
import { gatewayStamp, startArrivalGateway } from '../shared/arrival-gateway.js';
import { sendJson } from '../shared/send-json.js';
import { CONTROL_PREFIX, handleControl } from './control-routes.js';
import { FRIEND_ADD_PATH, handleFriendAdd } from './friend-add-route.js';
import { TimSimState, resolveConfig } from './sim-state.js';
import type { TimSimulator, TimSimulatorOptions } from './types.js';

/**
 * Starts a TIM REST simulator: a real HTTP server that checks requests, signatures and limits as
 * TIM does, answers by the target names' conventions (see target-names.ts), and logs arrivals.
 */
export async function startTimSimulator(options: TimSimulatorOptions): Promise<TimSimulator> {
  const state = new TimSimState(resolveConfig(options));
  const gateway = options.arrivalGateway === true;
  const server = createServer((req, res) => {
    // First thing: arrival time is what the rate limit and the tests measure.
    const at = (gateway ? gatewayStamp(req.headers) : undefined) ?? preciseNow();
    route(state, req, res, at);
  });
  // Idle keep-alive sockets stay open long, so that a busy client never races a server-side close
  // (ECONNRESET on reuse) and no call is lost between client and simulator.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (_err, socket) => socket.destroy());

  const host = options.host ?? '127.0.0.1';
  // Behind a gateway, the server itself listens privately and the gateway takes the address.
  await listen(server, gateway ? 0 : (options.port ?? 0), gateway ? '127.0.0.1' : host);
  const front = gateway ? await startArrivalGateway(host, options.port ?? 0, (server.address() as AddressInfo).port) : undefined;
  const port = front?.port ?? (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    arrivals: () => state.arrivals(),
    violations: () => state.violations(),
    injectFault: (kind, count = 1, ms) => state.injectFault(kind, count, ms),
    reset: () => state.reset(),
    rotateKey: (secretKey) => state.rotateKey(secretKey),
    stats: () => state.stats(),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        state.timers.clear();
        server.close(() => resolve());
        // Hanging calls and idle keep-alive sockets would hold close() open forever.
        server.closeAllConnections();
      }).then(() => front?.close())),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function route(state: TimSimState, req: IncomingMessage, res: ServerResponse, at: number): void {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (path === FRIEND_ADD_PATH && req.method === 'POST') {
    return handleFriendAdd(state, req, res, at, new URLSearchParams(q < 0 ? '' : target.slice(q + 1)));
  }
  if (path.startsWith(CONTROL_PREFIX)) return handleControl(state, req, res, path);
  sendJson(res, 404, { error: `no route ${req.method ?? ''} ${path}` });
}
