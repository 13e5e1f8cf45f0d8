import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { sleep } from '../../../src/lib/sleep.js';
import { hmacOf } from '../../../src/sim/tim/usersig.js';
import type { TimAnswer } from '../../../src/sim/tim/answer.js';

export const APP = 1400000000;
export const KEY = 'sim-test-secret-key';
export const ADMIN = 'administrator';

interface SigApi {
  genSig(identifier: string, expireSeconds: number): string;
  genPrivateMapKey(identifier: string, expireSeconds: number, roomId: number, privilegeMap: number): string;
}
const require = createRequire(import.meta.url);
const { Api } = require('tls-sig-api-v2') as { Api: new (sdkAppId: number, key: string) => SigApi };

/** A UserSig from Tencent's own library. */
export function libSig(identifier = ADMIN, key = KEY, sdkAppId = APP, expireSeconds = 86400): string {
  return new Api(sdkAppId, key).genSig(identifier, expireSeconds);
}

export function libApi(sdkAppId = APP, key = KEY): SigApi {
  return new Api(sdkAppId, key);
}

/** A UserSig with any fields, encoded as tls-sig-api-v2 encodes them (for times in the past). */
export function craftSig(fields: { identifier?: string; sdkAppId?: number; time: number; expire: number; key?: string }): string {
  const identifier = fields.identifier ?? ADMIN;
  const sdkAppId = fields.sdkAppId ?? APP;
  const doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': identifier,
    'TLS.sdkappid': sdkAppId,
    'TLS.time': fields.time,
    'TLS.expire': fields.expire,
    'TLS.sig': hmacOf(fields.key ?? KEY, identifier, sdkAppId, fields.time, fields.expire),
  };
  return deflateSync(Buffer.from(JSON.stringify(doc)))
    .toString('base64')
    .replace(/\+/g, '*')
    .replace(/\//g, '-')
    .replace(/=/g, '_');
}

/** The friend_add URL with valid parameters; `query` overrides them (undefined drops one). */
export function friendAddUrl(origin: string, query: Record<string, string | undefined> = {}): string {
  const params: Record<string, string | undefined> = {
    sdkappid: String(APP),
    identifier: ADMIN,
    usersig: libSig(),
    random: String(Math.floor(Math.random() * 2 ** 32)),
    contenttype: 'json',
    ...query,
  };
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, v);
  return `${origin}/v4/sns/friend_add?${search.toString()}`;
}

export interface Item {
  To_Account: string;
  AddSource?: string;
  Remark?: string;
  AddWording?: string;
  GroupName?: string | string[];
}

/** A friend_add body: targets given by name get a legal AddSource. */
export function addBody(from: string, targets: (string | Item)[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const items = targets.map((t) => (typeof t === 'string' ? { To_Account: t, AddSource: 'AddSource_Type_Web' } : t));
  return { From_Account: from, AddFriendItem: items, ...extra };
}

export interface Reply {
  status: number;
  text: string;
  json: TimAnswer;
}

/** POSTs a body (an object, or raw text) to friend_add and reads the whole answer. */
export async function callTim(
  origin: string,
  body: unknown,
  options: { query?: Record<string, string | undefined>; signal?: AbortSignal } = {},
): Promise<Reply> {
  const res = await fetch(friendAddUrl(origin, options.query), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: options.signal ?? AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let json = undefined as unknown as TimAnswer;
  try {
    json = JSON.parse(text) as TimAnswer;
  } catch {
    // left undefined: fault tests read `text`
  }
  return { status: res.status, text, json };
}

/** The ResultCode per To_Account of a served call. */
export function codesOf(reply: Reply): Record<string, number> {
  return Object.fromEntries((reply.json.ResultItem ?? []).map((r) => [r.To_Account, r.ResultCode]));
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}
