import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody } from '../shared/read-body.js';
import { sendJson } from '../shared/send-json.js';
import { postCallback } from '../shared/post-callback.js';
import type { TimSimState } from './sim-state.js';

/** Where and how the simulator sends `Sns.CallbackFriendAdd`; unset: pending targets stay pending. */
export interface TimCallbackSettings {
  /** The system's callback URL, e.g. `http://127.0.0.1:3000/v1/callbacks/tim`. */
  url: string;
  /** TIM_CALLBACK_TOKEN: when set, RequestTime and Sign are added as TIM does. */
  token?: string;
  /** How long a pending (30539) target takes to approve, ms. Default 200. */
  approveAfterMs?: number;
}

export const CallbackSettingsSchema = z.object({
  url: z.string().url(),
  token: z.string().min(1).optional(),
  approveAfterMs: z.number().int().nonnegative().optional(),
});

interface SenderState {
  settings?: TimCallbackSettings;
  sent: number;
  failed: number;
}

// Kept beside the simulator's state rather than in it: the callbacks are an optional extra.
const senders = new WeakMap<TimSimState, SenderState>();

function senderOf(state: TimSimState): SenderState {
  let sender = senders.get(state);
  if (!sender) {
    sender = { sent: 0, failed: 0 };
    senders.set(state, sender);
  }
  return sender;
}

/** `POST /_sim/callbacks {url, token?, approveAfterMs?}`: start sending callbacks (204). */
export async function configureCallbacks(state: TimSimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = CallbackSettingsSchema.safeParse(
    await readBody(req, 64 * 1024)
      .then(JSON.parse, () => undefined)
      .catch(() => undefined),
  );
  if (!parsed.success) return sendJson(res, 400, { error: z.prettifyError(parsed.error) });
  senderOf(state).settings = parsed.data;
  res.writeHead(204).end();
}

/** Callbacks sent and given up on, for `GET /_sim/stats`-style checks. */
export function callbackCounts(state: TimSimState): { sent: number; failed: number } {
  const { sent, failed } = senderOf(state);
  return { sent, failed };
}

/**
 * A call answered 30539 for (from, to): with callbacks configured, the peer approves after the
 * delay, the pair becomes friends in the simulator's book, and `Sns.CallbackFriendAdd` is POSTed.
 */
export function onPendingAnswered(state: TimSimState, from: string, to: string): void {
  const sender = senderOf(state);
  const settings = sender.settings;
  if (!settings) return;
  state.timers.later(settings.approveAfterMs ?? 200, () => {
    state.book.approve(from, to);
    const body = JSON.stringify({
      CallbackCommand: 'Sns.CallbackFriendAdd',
      PairList: [{ From_Account: from, To_Account: to, Initiator_Account: from }],
      ClientCmd: 'friend_response',
      Admin_Account: state.config.admin,
      ForceFlag: 0,
    });
    void postCallback(callbackUrl(state, settings), body, (json) => (json as { ErrorCode?: unknown })?.ErrorCode === 0).then((ok) => {
      if (ok) sender.sent++;
      else sender.failed++;
    });
  });
}

/** The URL with TIM's query: SdkAppid, the command, and RequestTime + Sign when a token is set. */
function callbackUrl(state: TimSimState, settings: TimCallbackSettings): string {
  const url = new URL(settings.url);
  url.searchParams.set('SdkAppid', String(state.config.sdkAppId));
  url.searchParams.set('CallbackCommand', 'Sns.CallbackFriendAdd');
  url.searchParams.set('contenttype', 'json');
  url.searchParams.set('ClientIP', '127.0.0.1');
  url.searchParams.set('OptPlatform', 'RESTAPI');
  if (settings.token) {
    const time = String(Math.floor(Date.now() / 1000));
    url.searchParams.set('RequestTime', time);
    url.searchParams.set('Sign', createHash('sha256').update(`${settings.token}${time}`).digest('hex'));
  }
  return url.toString();
}

/** For a simulator in another process, or in this one: configures its callbacks over HTTP. */
export async function setTimSimCallbacks(simUrl: string, settings: TimCallbackSettings): Promise<void> {
  const res = await fetch(`${simUrl}/_sim/callbacks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) });
  if (res.status !== 204) throw new Error(`TIM simulator refused its callback settings: HTTP ${res.status}`);
}
