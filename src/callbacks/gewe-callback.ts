import { z } from 'zod';
import type { RedisClient } from '../lib/redis-client.js';
import type { CallbackKeys } from './callback-keys.js';
import { confirmTarget } from './confirm-target.js';
import { msgAttributes } from './gewe-xml.js';
import { storeIncoming } from './incoming-requests.js';
import { policyAccepts, type AutoAcceptPolicies } from './auto-accept-policy.js';
import { unwrapString, v3Candidates } from './v3-candidates.js';

/** GeWe's push envelope; every other field is kept as it came. */
const envelopeSchema = z.object({
  TypeName: z.string().min(1).max(64),
  Appid: z.string().min(1).max(128),
  Wxid: z.string().max(128).optional(),
  Data: z.record(z.string(), z.unknown()).optional(),
});

/** Message types whose v3s are not the sender's friendship: a request (37) and a name card (42). */
const NOT_A_CONFIRMATION = new Set([37, 42]);
const UNKNOWN_KEPT = 100;
const UNKNOWN_MAX_CHARS = 4096;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface GeweCallbackDeps {
  redis: RedisClient;
  keys: CallbackKeys;
  ttlMs: number;
  policies: AutoAcceptPolicies;
}

export type GeweCallbackOutcome = { ok: true; kind: 'incoming' | 'confirm' | 'duplicate' | 'kept'; events: number } | { ok: false; problem: string };

/**
 * One GeWe push, already authenticated by its URL's secret. De-duplicated by Appid + NewMsgId
 * (GeWe's advice; the mark is set after the handling, so a crash in between handles it again,
 * which every step allows). An incoming friend request (AddMsg 37) is stored; any other message
 * that names a v3 confirms it; anything else is kept briefly for diagnosis. Nothing is stored for
 * a body that does not read.
 */
export async function handleGeweCallback(deps: GeweCallbackDeps, raw: Buffer | string, at = new Date()): Promise<GeweCallbackOutcome> {
  let body: unknown;
  try {
    body = JSON.parse(String(raw));
  } catch {
    return { ok: false, problem: 'body is not JSON' };
  }
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: `${issue.path.join('.') || '(body)'}: ${issue.message}` };
  }
  const message = parsed.data;
  const data = message.Data ?? {};
  const msgId = data.NewMsgId === undefined ? undefined : messageId(String(raw));
  const dedup = msgId === undefined ? undefined : deps.keys.geweMessage(message.Appid, msgId);
  if (dedup && (await deps.redis.exists(dedup)) === 1) return { ok: true, kind: 'duplicate', events: 0 };
  const outcome = await dispatch(deps, message.TypeName, message.Appid, data, String(raw), at);
  // Only what was acted on is remembered: a chat message (most of GeWe's traffic) leaves no key.
  if (dedup && outcome.kind !== 'kept') await deps.redis.set(dedup, '1', 'PX', deps.ttlMs);
  return outcome;
}

async function dispatch(deps: GeweCallbackDeps, typeName: string, appId: string, data: Record<string, unknown>, raw: string, at: Date) {
  const msgType = typeof data.MsgType === 'number' ? data.MsgType : Number(data.MsgType);
  if (typeName === 'AddMsg' && msgType === 37) {
    const stored = await incomingRequest(deps, appId, data, at);
    if (stored !== undefined) return { ok: true, kind: 'incoming', events: stored ? 1 : 0 } as const;
  } else if (!(typeName === 'AddMsg' && NOT_A_CONFIRMATION.has(msgType))) {
    const v3s = v3Candidates(data);
    if (v3s.length > 0) {
      const made = await Promise.all(v3s.map((v3) => confirmTarget(deps, { provider: 'gewe', account: appId, target: v3 }, `gewe:${typeName}`, at)));
      return { ok: true, kind: 'confirm', events: made.reduce((a, b) => a + b, 0) } as const;
    }
  }
  await keepUnknown(deps, raw);
  return { ok: true, kind: 'kept', events: 0 } as const;
}

/** Stored (true), a repeat (false), or not a readable request (undefined: kept as unknown). */
async function incomingRequest(deps: GeweCallbackDeps, appId: string, data: Record<string, unknown>, at: Date) {
  const attrs = msgAttributes(unwrapString(data.Content) ?? '');
  const v3 = attrs?.encryptusername;
  const v4 = attrs?.ticket;
  if (!attrs || !v3 || !v4) return undefined;
  const scene = Number(attrs.scene);
  const greeting = attrs.content ?? '';
  const policy = await deps.policies.get(appId);
  return storeIncoming(
    deps,
    {
      appId,
      v3,
      v4,
      scene: Number.isInteger(scene) ? scene : 0,
      greeting,
      ...(attrs.fromusername ? { fromUserName: attrs.fromusername } : {}),
      ...(attrs.fromnickname ? { nickname: attrs.fromnickname } : {}),
      receivedAt: at.toISOString(),
      autoAccept: policyAccepts(policy, greeting),
    },
    at,
  );
}

async function keepUnknown(deps: GeweCallbackDeps, raw: string): Promise<void> {
  const key = deps.keys.unknownMessages();
  await deps.redis
    .multi()
    .lpush(key, raw.slice(0, UNKNOWN_MAX_CHARS))
    .ltrim(key, 0, UNKNOWN_KEPT - 1)
    .pexpire(key, DAY_MS)
    .exec();
}

/**
 * NewMsgId as GeWe wrote it. It is a 64-bit integer: JSON.parse would round it to a double, and
 * two messages whose ids differ in the low bits would look like one; so it is read from the text.
 */
function messageId(raw: string): string | undefined {
  return /"NewMsgId"\s*:\s*"?(-?\d{1,24})"?/.exec(raw)?.[1];
}
