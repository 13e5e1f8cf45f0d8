import { z } from 'zod';
import type { ConfirmDeps } from './confirm-target.js';
import { confirmTarget } from './confirm-target.js';

/** TIM's answer to a callback: ErrorCode 0 handled, 1 the app could not handle it. */
export interface TimEnvelope {
  ActionStatus: 'OK' | 'FAIL';
  ErrorCode: 0 | 1;
  ErrorInfo: string;
}

export const TIM_OK: TimEnvelope = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };
export const timFail = (info: string): TimEnvelope => ({ ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: info });

const PAIRS_IN_FLIGHT = 200;

export const FRIEND_ADD_COMMAND = 'Sns.CallbackFriendAdd';

/** TIM identifiers are at most 32 bytes; a little room for what newer deployments send. */
const account = z.string().min(1).max(128);

/** `Sns.CallbackFriendAdd` (Tencent's "After a Friend Is Added"); other fields are ignored. */
export const timFriendAddSchema = z.object({
  CallbackCommand: z.string(),
  PairList: z.array(z.object({ From_Account: account, To_Account: account, Initiator_Account: z.string().optional() })).max(10_000),
  ClientCmd: z.string().optional(),
  Admin_Account: z.string().optional(),
  ForceFlag: z.number().optional(),
});

const envelopeSchema = z.object({ CallbackCommand: z.string().min(1) });

export type TimCallbackOutcome = { ok: true; facts: number; events: number; ignored?: string } | { ok: false; problem: string };

/**
 * One TIM callback body, already authenticated: every pair is a fact (From_Account's list holds
 * To_Account now), stored and matched by confirm-target.lua. Other callback commands sent to the
 * same URL are answered OK and ignored. A body that does not read is refused before anything is
 * stored.
 */
export async function handleTimCallback(deps: ConfirmDeps, raw: Buffer | string, at = new Date()): Promise<TimCallbackOutcome> {
  let body: unknown;
  try {
    body = JSON.parse(String(raw));
  } catch {
    return { ok: false, problem: 'body is not JSON' };
  }
  const head = envelopeSchema.safeParse(body);
  if (!head.success) return { ok: false, problem: describe(head.error) };
  if (head.data.CallbackCommand !== FRIEND_ADD_COMMAND) return { ok: true, facts: 0, events: 0, ignored: head.data.CallbackCommand };
  const parsed = timFriendAddSchema.safeParse(body);
  if (!parsed.success) return { ok: false, problem: describe(parsed.error) };
  const via = `tim:${FRIEND_ADD_COMMAND}${parsed.data.ClientCmd ? `:${parsed.data.ClientCmd}` : ''}`;
  let events = 0;
  // Each pair is its own atomic step (a repeat of any adds nothing); sent a chunk at a time, so a
  // long PairList costs round trips per chunk, not per pair.
  const pairs = parsed.data.PairList;
  for (let first = 0; first < pairs.length; first += PAIRS_IN_FLIGHT) {
    const chunk = pairs.slice(first, first + PAIRS_IN_FLIGHT);
    const made = await Promise.all(chunk.map((pair) => confirmTarget(deps, { provider: 'tim', account: pair.From_Account, target: pair.To_Account }, via, at)));
    events += made.reduce((a, b) => a + b, 0);
  }
  return { ok: true, facts: pairs.length, events };
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`;
}
