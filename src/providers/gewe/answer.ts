/**
 * GeWe's answer envelope, `{ ret, msg, data }`. Errors carry a generic `msg` ("添加好友失败") and
 * the real reason in `data.msg` with a `data.code`, so both are read and both end up in `info`.
 */
export interface GeweAnswerBody {
  ret: number;
  msg: string;
  /** `data.code` as GeWe sent it (a string such as "-2" in the real error body). */
  dataCode?: string;
  dataMsg?: string;
}

/** The envelope, or undefined when the body is not one (no numeric `ret`): a bad response. */
export function readGeweAnswer(body: unknown): GeweAnswerBody | undefined {
  if (!isRecord(body) || typeof body.ret !== 'number' || !Number.isFinite(body.ret)) return undefined;
  const data = isRecord(body.data) ? body.data : {};
  return {
    ret: body.ret,
    msg: typeof body.msg === 'string' ? body.msg : '',
    dataCode: scalarText(data.code),
    dataMsg: scalarText(data.msg),
  };
}

/** The text that the code table's patterns search: `msg` and `data.msg` together. */
export function searchableText(answer: GeweAnswerBody): string {
  return answer.dataMsg ? `${answer.msg}\n${answer.dataMsg}` : answer.msg;
}

/** The result's `info`: `添加好友失败 (data.code=-2: user ticket invalid)`. */
export function describeGeweAnswer(answer: GeweAnswerBody): string {
  const { msg, dataCode, dataMsg } = answer;
  let detail = '';
  if (dataCode !== undefined && dataMsg !== undefined) detail = `data.code=${dataCode}: ${dataMsg}`;
  else if (dataCode !== undefined) detail = `data.code=${dataCode}`;
  else if (dataMsg !== undefined) detail = `data.msg=${dataMsg}`;
  if (!detail) return msg;
  return msg ? `${msg} (${detail})` : `(${detail})`;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
