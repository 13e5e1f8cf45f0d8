import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../shared/read-body.js';
import { sendJson, sendText } from '../shared/send-json.js';
import { failAnswer, okAnswer } from './answer.js';
import { TIM } from './codes.js';
import { sendBadGateway, sendSlowBody, sendTruncated, type PendingFault } from './faults.js';
import type { CallOutcome } from './friend-book.js';
import { checkBody, type CheckedBody } from './request-body.js';
import type { TimSimState } from './sim-state.js';
import type { Arrival } from './types.js';
import { checkUrl } from './url-check.js';
import { onPendingAnswered } from './callbacks.js';

export const FRIEND_ADD_PATH = '/v4/sns/friend_add';

/** 1000 items of the longest legal fields fit well within this. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** One call: what the log needs, and how to end it exactly once. */
interface Call {
  state: TimSimState;
  res: ServerResponse;
  arrival: Arrival;
  /** Frees the From_Account for its next call. Idempotent; runs before the answer is written. */
  finish: () => void;
}

/**
 * `POST /v4/sns/friend_add`. `at` was taken first thing in the request handler. The call is
 * counted in its SDKAppID's window at once; everything else waits for the body, which names the
 * From_Account the arrival log needs.
 */
export function handleFriendAdd(state: TimSimState, req: IncomingMessage, res: ServerResponse, at: number, query: URLSearchParams): void {
  const sdkAppId = query.get('sdkappid') ?? '';
  const overLimit = state.arrive(sdkAppId, at);
  readBody(req, MAX_BODY_BYTES)
    .catch(() => '') // a body that never completes or is too large does not unpack: 30001
    .then((text) => onBody(state, res, query, checkBody(text), { at, sdkAppId, overLimit }));
}

function onBody(
  state: TimSimState,
  res: ServerResponse,
  query: URLSearchParams,
  body: CheckedBody,
  seen: { at: number; sdkAppId: string; overLimit: boolean },
): void {
  const { at, sdkAppId, overLimit } = seen;
  const fromAccount = body.fromAccount;
  const call: Call = { state, res, arrival: { at, fromAccount, count: body.count, sdkAppId }, finish: () => {} };
  // One From_Account at a time: tracked for every call naming one, whatever its answer.
  const busy = fromAccount !== '' && state.inFlight.enter(fromAccount) > 0;
  if (fromAccount !== '') {
    let done = false;
    call.finish = () => {
      if (done) return;
      done = true;
      state.inFlight.leave(fromAccount);
    };
    res.once('close', call.finish); // the client gave up, or the socket was reset
    if (res.socket?.destroyed !== false) call.finish(); // it went before we listened
  }
  if (busy) state.violation('overlap', at, fromAccount);
  if (overLimit) state.violation('rate', at, fromAccount);

  const fault = state.faults.take();
  if (fault) call.arrival.fault = fault.kind;
  if (fault && applyBlockingFault(call, fault)) return;

  const code = refusalCode(state, query, body, { at, overLimit, busy });
  const outcome: CallOutcome = code ? { code, items: [], hang: false, extraLatencyMs: 0 } : state.book.serve(fromAccount, body.items);
  if (outcome.code) return refuse(call, outcome.code);
  state.record(call.arrival);
  if (outcome.hang) return; // never answered; `finish` runs when the client closes
  for (const item of outcome.items) {
    if (item.kind === 'item') state.countItem(item.code);
    else if (item.kind === 'invalid') state.countItem('invalid');
  }
  for (const item of outcome.items) if (item.kind === 'item' && item.code === TIM.PENDING) onPendingAnswered(state, fromAccount, item.toAccount);
  const json = JSON.stringify(okAnswer(outcome.items, state.requestIds.next()));
  state.timers.later(state.config.latencyMs + outcome.extraLatencyMs, () => deliver(call, json, fault));
}

/**
 * The checks that refuse a call whole, in order: the rate limit (at the door, before anything is
 * read), the URL and its UserSig, the body, and last the write conflict of a busy From_Account
 * (only a call that would write can conflict). 0 when none refuses it.
 */
function refusalCode(state: TimSimState, query: URLSearchParams, body: CheckedBody, seen: { at: number; overLimit: boolean; busy: boolean }): number {
  if (seen.overLimit) return TIM.RATE_LIMIT;
  return checkUrl(query, state.config, state.sigs, seen.at) || body.code || (seen.busy ? TIM.WRITE_CONFLICT : TIM.OK);
}

/** Faults that stop the call before TIM's backend sees it. True when the call was handled. */
function applyBlockingFault(call: Call, fault: PendingFault): boolean {
  const { state, res } = call;
  switch (fault.kind) {
    case '60007':
    case '70001':
    case '30517':
      refuse(call, Number(fault.kind));
      return true;
    case 'reset':
      state.record(call.arrival);
      call.finish();
      res.socket?.destroy();
      return true;
    case 'hang':
      state.record(call.arrival);
      return true;
    case '502html':
      state.record(call.arrival);
      state.timers.later(state.config.latencyMs, () => {
        call.finish();
        sendBadGateway(res);
      });
      return true;
    default:
      return false; // truncated, slowbody: served normally, delivered damaged
  }
}

function refuse(call: Call, code: number): void {
  const { state, res } = call;
  call.arrival.rejected = String(code);
  state.record(call.arrival);
  const answer = failAnswer(code, state.requestIds.next());
  state.timers.later(state.config.latencyMs, () => {
    call.finish();
    sendJson(res, 200, answer);
  });
}

function deliver(call: Call, json: string, fault: PendingFault | undefined): void {
  const { res, state } = call;
  if (fault?.kind === 'slowbody') return sendSlowBody(res, json, fault.ms, state.timers, call.finish);
  call.finish();
  if (fault?.kind === 'truncated') return sendTruncated(res, json);
  sendText(res, 200, json, 'application/json; charset=utf-8');
}
