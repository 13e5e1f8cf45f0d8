import type { IncomingMessage, ServerResponse } from 'node:http';
import { BAD_GATEWAY_HTML, GATEWAY_TIMEOUT_HTML, paramError, SIM_ANSWERS, TRUNCATED_JSON, type GeweAnswer } from './answers.js';
import { behaviourOf } from './behaviour.js';
import { isAfterAddFault, type AfterAddFault } from './faults.js';
import { readBody, sendJson, sendText } from './http-io.js';
import type { SimState } from './state.js';
import { onAddSent } from './callbacks.js';
import { arrivalFields, checkAddContactsBody } from './validate.js';

/** The documented path of addContacts. Kept apart from the provider's copy: a contract test. */
export const ADD_CONTACTS_PATH = '/gewe/v2/api/contacts/addContacts';

/**
 * One addContacts call. `at` was taken first thing, before the body was read. In order: record
 * the arrival and count it for its v3, apply an injected fault, check the token, check the body,
 * then act as the v3 says. A fault "after add" lets the call be acted on, then replaces its answer.
 */
export async function handleAddContacts(state: SimState, req: IncomingMessage, res: ServerResponse, at: number): Promise<void> {
  let raw: string;
  try {
    raw = await readBody(req);
  } catch {
    res.destroy();
    return;
  }
  let parsed: unknown;
  let isJson = true;
  try {
    parsed = JSON.parse(raw);
  } catch {
    isJson = false;
  }

  const { appId, option, v3 } = arrivalFields(parsed);
  const done = state.log.record(at, appId, option, v3);
  state.reachedByV3.set(v3, (state.reachedByV3.get(v3) ?? 0) + 1);
  // A hang ends when the client gives up or the simulator closes.
  res.once('close', done);
  const fault = state.faults.take();

  // Marks the call finished just before its answer is written: the client cannot see it sooner.
  const answerLater = (ms: number, write: () => void): void =>
    state.later(ms, () => {
      done();
      write();
    });
  const deliver = isAfterAddFault(fault) ? gatewayFault(fault, req, res) : undefined;
  const json = (body: GeweAnswer, ms = state.latencyMs): void => answerLater(ms, deliver ?? (() => sendJson(res, 200, body)));
  const badGateway = (): void => answerLater(state.latencyMs, deliver ?? (() => sendText(res, 502, 'text/html', BAD_GATEWAY_HTML)));

  switch (fault) {
    case '502html':
      return badGateway();
    case 'reset':
      // The whole request was read, so the client has sent it: an ambiguous failure.
      req.socket.destroy();
      return;
    case 'truncated':
      return answerLater(state.latencyMs, () => sendText(res, 200, 'application/json;charset=UTF-8', TRUNCATED_JSON));
    case 'hang':
      return;
    default:
      break;
  }

  if (req.headers['x-gewe-token'] !== state.token) return json(SIM_ANSWERS.tokenInvalid);
  if (!isJson) return json(paramError('body must be JSON'));
  const checked = checkAddContactsBody(parsed);
  if (!checked.ok) return json(paramError(checked.problem));

  const behaviour = behaviourOf(checked.body.v3);
  // The add reached the person (whatever becomes of the answer): they accept later, by callback.
  if (checked.body.option === 2 && (behaviour.kind === 'ok' || behaviour.kind === 'slow')) onAddSent(state, checked.body.appId, checked.body.v3);
  switch (behaviour.kind) {
    case 'ok':
      return json(SIM_ANSWERS.success);
    case 'final':
      return json(SIM_ANSWERS.userNotFound);
    case 'already':
      return json(SIM_ANSWERS.alreadyFriends);
    case 'freq':
      return json(SIM_ANSWERS.tooFrequent);
    case 'ticket':
      return json(SIM_ANSWERS.ticketInvalid);
    case 'offline':
      return json(SIM_ANSWERS.offline);
    case 'unknown':
      return json(SIM_ANSWERS.unknown);
    case 'hang':
      return;
    case 'slow':
      return json(SIM_ANSWERS.success, behaviour.ms);
    case 'transient': {
      const calls = (state.callsByV3.get(checked.body.v3) ?? 0) + 1;
      state.callsByV3.set(checked.body.v3, calls);
      return calls <= behaviour.failures ? badGateway() : json(SIM_ANSWERS.success);
    }
  }
}

/** What replaces the answer of a call that was acted on: a gateway's 504 page, or a reset. */
function gatewayFault(fault: AfterAddFault, req: IncomingMessage, res: ServerResponse): () => void {
  if (fault === '504-after-add') return () => sendText(res, 504, 'text/html', GATEWAY_TIMEOUT_HTML);
  return () => req.socket.destroy();
}
