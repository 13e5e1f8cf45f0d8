import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, sendJson } from './http-io.js';
import { postCallback } from '../shared/post-callback.js';
import type { SimState } from './state.js';

/** Where the simulator pushes its callback messages, as GeWe pushes every event of an account. */
export interface GeweCallbackSettings {
  /** The system's callback URL, e.g. `http://127.0.0.1:3000/v1/callbacks/gewe/<secret>`. */
  url: string;
  /** How long after a successful add (option 2) the person accepts (ModContacts), ms. Default 200. */
  confirmAfterMs?: number;
}

const SettingsSchema = z.object({ url: z.string().url(), confirmAfterMs: z.number().int().nonnegative().optional() });

const FriendRequestSchema = z.object({
  appId: z.string().min(1),
  v3: z.string().min(1).optional(),
  v4: z.string().min(1).optional(),
  scene: z.number().int().optional(),
  greeting: z.string().default(''),
  nickname: z.string().default('Someone'),
});
export type SimFriendRequest = z.input<typeof FriendRequestSchema>;

const settingsByState = new WeakMap<SimState, GeweCallbackSettings>();
let nextMsgId = 7_300_000_000_000_000_000n;
let nextPerson = 0;

/** `POST /_sim/callbacks {url, confirmAfterMs?}`: start pushing callbacks (204). */
export async function configureCallbacks(state: SimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = SettingsSchema.safeParse(await readJson(req));
  if (!parsed.success) return sendJson(res, 400, { error: z.prettifyError(parsed.error) });
  settingsByState.set(state, parsed.data);
  noContent(res);
}

/** `POST /_sim/friend-request {appId, greeting, v3?, v4?, scene?, nickname?}`: someone asks appId (200 {v3, v4}). */
export async function injectFriendRequest(state: SimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const settings = settingsByState.get(state);
  const parsed = FriendRequestSchema.safeParse(await readJson(req));
  if (!parsed.success) return sendJson(res, 400, { error: z.prettifyError(parsed.error) });
  if (!settings) return sendJson(res, 409, { error: 'no callback URL: POST /_sim/callbacks first' });
  const person = ++nextPerson;
  const v3 = parsed.data.v3 ?? `v3_020b3826fd0301000000000000${person}@stranger`;
  const v4 = parsed.data.v4 ?? `v4_000b708f0b040000000000000000${person}@stranger`;
  const xml =
    `<msg fromusername="wxid_sim${person}" encryptusername="${escapeXml(v3)}" fromnickname="${escapeXml(parsed.data.nickname)}" ` +
    `content="${escapeXml(parsed.data.greeting)}" scene="${parsed.data.scene ?? 6}" ticket="${escapeXml(v4)}" opcode="2" />`;
  const acked = await push(settings, 'AddMsg', parsed.data.appId, { FromUserName: { string: 'fmessage' }, MsgType: 37, Content: { string: xml } });
  sendJson(res, acked ? 200 : 502, { v3, v4, acked });
}

/** An add (option 2) succeeded: with callbacks set, the person accepts after the delay (ModContacts). */
export function onAddSent(state: SimState, appId: string, v3: string): void {
  const settings = settingsByState.get(state);
  if (!settings) return;
  state.later(settings.confirmAfterMs ?? 200, () => {
    void push(settings, 'ModContacts', appId, { UserName: { string: `wxid_of_${v3.slice(0, 24)}` }, EncryptUserName: v3, NickName: { string: 'friend' } });
  });
}

/** One push, as GeWe sends it: `{TypeName, Appid, Wxid, Data}`; NewMsgId written as a bare 64-bit integer. */
function push(settings: GeweCallbackSettings, typeName: string, appId: string, data: Record<string, unknown>): Promise<boolean> {
  nextMsgId += 1n;
  const fields = JSON.stringify({ ...data, CreateTime: Math.floor(Date.now() / 1000) }).slice(1, -1);
  const body = `{"TypeName":${JSON.stringify(typeName)},"Appid":${JSON.stringify(appId)},"Wxid":"wxid_self","Data":{"NewMsgId":${nextMsgId},${fields}}}`;
  return postCallback(settings.url, body);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  try {
    return JSON.parse(await readBody(req));
  } catch {
    return undefined;
  }
}

function noContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

/** For a simulator in another process, or in this one: configures its callbacks over HTTP. */
export async function setGeweSimCallbacks(simUrl: string, settings: GeweCallbackSettings): Promise<void> {
  const res = await fetch(`${simUrl}/_sim/callbacks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) });
  if (res.status !== 204) throw new Error(`GeWe simulator refused its callback settings: HTTP ${res.status}`);
}

/** Makes the simulator push a friend request to `appId`; returns the requester's v3 and v4. */
export async function sendSimFriendRequest(simUrl: string, request: SimFriendRequest): Promise<{ v3: string; v4: string; acked: boolean }> {
  const res = await fetch(`${simUrl}/_sim/friend-request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  if (!res.ok) throw new Error(`GeWe simulator could not push the friend request: HTTP ${res.status}`);
  return (await res.json()) as { v3: string; v4: string; acked: boolean };
}
