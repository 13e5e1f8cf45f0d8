/** Helpers for the GeWe simulator tests: plain fetch calls and deadline-bound waits. */

export const SIM_TOKEN = 'sim-token-0123456789';
export const ADD_PATH = '/gewe/v2/api/contacts/addContacts';

export interface AddBody {
  appId?: unknown;
  scene?: unknown;
  option?: unknown;
  v3?: unknown;
  v4?: unknown;
  content?: unknown;
  [key: string]: unknown;
}

/** A valid add (option 2) for `v3` from `appId`. */
export function addBody(v3: string, appId = 'wx_app_1', extra: Partial<AddBody> = {}): AddBody {
  return { appId, scene: 3, option: 2, v3, v4: 'v4_test@stranger', content: 'hello', ...extra };
}

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  json: unknown;
}

/** POSTs to addContacts; `token: null` sends no X-GEWE-TOKEN header. */
export async function postAdd(baseUrl: string, body: AddBody | string, opts: { token?: string | null; signal?: AbortSignal } = {}): Promise<RawAnswer> {
  const token = opts.token === undefined ? SIM_TOKEN : opts.token;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['X-GEWE-TOKEN'] = token;
  const res = await fetch(`${baseUrl}${ADD_PATH}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: opts.signal ?? AbortSignal.timeout(5000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

/** Polls `check` until it returns a value other than undefined/null/false, or fails at the deadline. */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 3000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
