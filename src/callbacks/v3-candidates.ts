import { msgAttributes } from './gewe-xml.js';

/** GeWe wraps message fields as `{"string": "..."}`; older payloads send the bare string. */
export function unwrapString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { string?: unknown }).string === 'string') {
    return (value as { string: string }).string;
  }
  return undefined;
}

const V3_FIELD = /^encrypt_?username$/i;
/** A v3 inside free text: WeChat's form, `v3_<hex...>@stranger`. */
const V3_IN_TEXT = /v3_[A-Za-z0-9_\-.]+@stranger/g;
const MAX_CANDIDATES = 20;
const MAX_STRINGS = 500;
const MAX_DEPTH = 6;

/**
 * Every v3 a GeWe message names, wherever it appears (real payloads vary): an `EncryptUserName`
 * field at any depth, an `encryptusername` attribute of an XML `<msg>` in any string, or a
 * `v3_…@stranger` token in any text. Bounded in depth and count: a hostile message costs little.
 */
export function v3Candidates(data: unknown): string[] {
  const found = new Set<string>();
  let strings = 0;
  const visit = (value: unknown, key: string, depth: number): void => {
    if (found.size >= MAX_CANDIDATES || depth > MAX_DEPTH) return;
    const text = unwrapString(value);
    if (text !== undefined) {
      if (++strings > MAX_STRINGS) return;
      fromText(text, V3_FIELD.test(key), found);
      return;
    }
    if (Array.isArray(value)) for (const item of value) visit(item, key, depth + 1);
    else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) visit(v, k, depth + 1);
  };
  visit(data, '', 0);
  return [...found].slice(0, MAX_CANDIDATES);
}

function fromText(text: string, isV3Field: boolean, found: Set<string>): void {
  if (isV3Field && text !== '') found.add(text);
  if (text.includes('<msg')) {
    const v3 = msgAttributes(text)?.encryptusername;
    if (v3) found.add(v3);
  }
  for (const match of text.matchAll(V3_IN_TEXT)) found.add(match[0]);
}
