import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSimFaultKind, SIM_FAULT_KINDS } from './faults.js';
import { readBody, sendJson } from './http-io.js';
import type { SimState } from './state.js';
import { configureCallbacks, injectFriendRequest } from './callbacks.js';

/**
 * The simulator's own routes, for tests, the demo and the bench when it runs as a process:
 * - GET  /_sim/arrivals    → {arrivals: GeweArrival[]}
 * - GET  /_sim/violations  → {violations: GeweViolation[]}
 * - GET  /_sim/calls       → {calls: {[v3]: every addContacts that reached the simulator}}
 * - POST /_sim/reset       → 204
 * - POST /_sim/fault       {kind, count?} → 204
 * - POST /_sim/spacing     {appId, ms} (ms null removes the rule) → 204
 * - POST /_sim/callbacks   {url, confirmAfterMs?}: pushes ModContacts after each add (callbacks.ts) → 204
 * - POST /_sim/friend-request {appId, greeting, v3?, v4?, scene?}: pushes an AddMsg 37 → 200 {v3, v4}
 */
export async function handleControl(state: SimState, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const route = `${req.method} ${path}`;
  switch (route) {
    case 'GET /_sim/arrivals':
      return sendJson(res, 200, { arrivals: state.log.arrivals() });
    case 'GET /_sim/violations':
      return sendJson(res, 200, { violations: state.log.violations() });
    case 'GET /_sim/calls':
      return sendJson(res, 200, { calls: Object.fromEntries(state.reachedByV3) });
    case 'POST /_sim/reset':
      state.reset();
      return noContent(res);
    case 'POST /_sim/fault': {
      const body = await readJson(req);
      const count = body?.count ?? 1;
      if (!isSimFaultKind(body?.kind) || !Number.isInteger(count) || (count as number) < 1) {
        const kinds = SIM_FAULT_KINDS.map((k) => `"${k}"`).join('|');
        return sendJson(res, 400, { error: `want {"kind": ${kinds}, "count"?: positive integer}` });
      }
      state.faults.inject(body.kind, count as number);
      return noContent(res);
    }
    case 'POST /_sim/callbacks':
      return configureCallbacks(state, req, res);
    case 'POST /_sim/friend-request':
      return injectFriendRequest(state, req, res);
    case 'POST /_sim/spacing': {
      const body = await readJson(req);
      const ms = body?.ms;
      if (typeof body?.appId !== 'string' || !(ms === null || (typeof ms === 'number' && ms >= 0))) {
        return sendJson(res, 400, { error: 'want {"appId": string, "ms": number >= 0 | null}' });
      }
      state.log.setMinSpacing(body.appId, ms);
      return noContent(res);
    }
    default:
      return sendJson(res, 404, { error: `no route ${route}` });
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await readBody(req));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function noContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}
