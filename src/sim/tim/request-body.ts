import { ITEM_INFO, TIM, infoFor } from './codes.js';

/** One AddFriendItem after the field checks; `code` is non-zero when a field broke a limit. */
export interface CheckedItem {
  toAccount: string;
  code: number;
  info: string;
}

/** A friend_add body: what the arrival log needs always, the checked request when it passed. */
export interface CheckedBody {
  fromAccount: string;
  count: number;
  /** 0 when the request may go on, else the top-level code that refuses it. */
  code: number;
  items: CheckedItem[];
}

const ADD_SOURCE = /^AddSource_Type_[A-Za-z]{1,8}$/;
const ADD_TYPES = new Set(['Add_Type_Single', 'Add_Type_Both']);
const MAX_ITEMS = 1000;
const REMARK_MAX_BYTES = 96;
const WORDING_MAX_BYTES = 256;
const GROUP_MAX_BYTES = 30;

/** Parses and checks a friend_add body in TIM's order: JSON, request fields, then each item. */
export function checkBody(text: string): CheckedBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse('', 0, TIM.UNPACK);
  }
  if (!isRecord(json)) return refuse('', 0, TIM.UNPACK);
  const from = json.From_Account;
  const list = json.AddFriendItem;
  const fromAccount = typeof from === 'string' ? from : '';
  const count = Array.isArray(list) ? list.length : 0;
  if (typeof from !== 'string' || from === '') return refuse(fromAccount, count, TIM.UNPACK);
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_ITEMS) {
    return refuse(fromAccount, count, TIM.COUNT_ILLEGAL);
  }
  const addType = json.AddType;
  if (addType !== undefined && !(typeof addType === 'string' && ADD_TYPES.has(addType))) {
    return refuse(fromAccount, count, TIM.ADD_TYPE_ILLEGAL);
  }
  const force = json.ForceAddFlags;
  // No dedicated code for a bad ForceAddFlags: 30001, the request does not unpack.
  if (force !== undefined && force !== 0 && force !== 1) return refuse(fromAccount, count, TIM.UNPACK);
  const items: CheckedItem[] = [];
  for (const raw of list) {
    const item = checkItem(raw);
    if (!item) return refuse(fromAccount, count, TIM.UNPACK);
    items.push(item);
  }
  return { fromAccount, count, code: TIM.OK, items };
}

/** Undefined when the item does not unpack (wrong types); else its per-item verdict. */
function checkItem(raw: unknown): CheckedItem | undefined {
  if (!isRecord(raw)) return undefined;
  const toAccount = raw.To_Account;
  const source = raw.AddSource;
  const remark = raw.Remark;
  const wording = raw.AddWording;
  const group = raw.GroupName;
  if (typeof toAccount !== 'string') return undefined;
  if (!isOptionalString(remark) || !isOptionalString(wording)) return undefined;
  const groups = group === undefined ? [] : typeof group === 'string' ? [group] : group;
  if (!isStringList(groups)) return undefined;
  if (typeof source !== 'string' || !ADD_SOURCE.test(source)) {
    return { toAccount, code: TIM.UNPACK, info: ITEM_INFO.SOURCE_ILLEGAL };
  }
  const tooLong = bytes(remark) > REMARK_MAX_BYTES || bytes(wording) > WORDING_MAX_BYTES || groups.some((g) => g === '' || bytes(g) > GROUP_MAX_BYTES);
  if (tooLong) return { toAccount, code: TIM.LENGTH_ILLEGAL, info: infoFor(TIM.LENGTH_ILLEGAL) };
  return { toAccount, code: TIM.OK, info: '' };
}

function refuse(fromAccount: string, count: number, code: number): CheckedBody {
  return { fromAccount, count, code, items: [] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

function bytes(text: string | undefined): number {
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
