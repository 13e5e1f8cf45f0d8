import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody } from '../shared/read-body.js';
import { configureCallbacks } from './callbacks.js';
import { sendJson } from '../shared/send-json.js';
import type { TimSimState } from './sim-state.js';
import { FAULT_KINDS } from './types.js';

export const CONTROL_PREFIX = '/_sim/';

const KeyRequest = z.object({ secretKey: z.string().min(1) });

const FaultRequest = z.object({
  kind: z.enum(FAULT_KINDS),
  count: z.number().int().positive().optional(),
  ms: z.number().nonnegative().optional(),
});

/**
 * Routes that drive a simulator running in another process. Not logged as arrivals and not
 * counted against any rate.
 * - `GET /_sim/arrivals`, `GET /_sim/violations`, `GET /_sim/stats`: the logs and counters, as JSON.
 * - `POST /_sim/reset`: forgets everything (204).
 * - `POST /_sim/fault {kind, count?, ms?}`: injects a fault into the next calls (204).
 * - `POST /_sim/callbacks {url, token?, approveAfterMs?}`: pending targets approve and TIM's
 *   `Sns.CallbackFriendAdd` is POSTed to `url` (callbacks.ts) (204).
 * - `POST /_sim/key {secretKey}`: rotates the app's key, as in TIM's console (204).
 */
export function handleControl(state: TimSimState, req: IncomingMessage, res: ServerResponse, path: string): void {
  const route = `${req.method ?? ''} ${path.slice(CONTROL_PREFIX.length)}`;
  switch (route) {
    case 'GET arrivals':
      return sendJson(res, 200, state.arrivals());
    case 'GET violations':
      return sendJson(res, 200, state.violations());
    case 'GET stats':
      return sendJson(res, 200, state.stats());
    case 'POST reset':
      state.reset();
      return noContent(res);
    case 'POST fault':
      return void injectFromBody(state, req, res);
    case 'POST callbacks':
      return void configureCallbacks(state, req, res);
    case 'POST key':
      return void rotateFromBody(state, req, res);
    default:
      return sendJson(res, 404, { error: `no control route ${route}` });
  }
}

async function injectFromBody(state: TimSimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let parsed: z.infer<typeof FaultRequest>;
  try {
    parsed = FaultRequest.parse(JSON.parse(await readBody(req, 64 * 1024)));
  } catch (err) {
    return sendJson(res, 400, { error: err instanceof z.ZodError ? z.prettifyError(err) : 'body must be JSON' });
  }
  state.injectFault(parsed.kind, parsed.count, parsed.ms);
  noContent(res);
}

async function rotateFromBody(state: TimSimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = KeyRequest.safeParse(
    await readBody(req, 64 * 1024)
      .then(JSON.parse)
      .catch(() => undefined),
  );
  if (!parsed.success) return sendJson(res, 400, { error: 'body must be {"secretKey": "..."}' });
  state.rotateKey(parsed.data.secretKey);
  noContent(res);
}

function noContent(res: ServerResponse): void {
  res.writeHead(204).end();
}
