/**
 * The attributes of the first `<msg ...>` element of a GeWe message's XML, entities decoded. A
 * friend request's `Content` is one such element; nothing else of the XML is needed, so a small
 * scanner does instead of an XML library. Values may hold `>` and either quote, as XML allows.
 * Returns undefined when there is no `<msg` element; never throws.
 */
export function msgAttributes(xml: string, maxChars = 64 * 1024): Record<string, string> | undefined {
  const text = xml.length > maxChars ? xml.slice(0, maxChars) : xml;
  const start = /<msg(?=[\s/>])/.exec(text);
  if (!start) return undefined;
  // Sticky: each match must begin where the last ended, so text outside the tag is never read.
  const attribute = /\s*([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
  attribute.lastIndex = start.index + start[0].length;
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let m = attribute.exec(text); m; m = attribute.exec(text)) {
    const name = m[1]!;
    if (!(name in out)) out[name] = decodeEntities(m[2] ?? m[3] ?? '');
  }
  return out;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/g, (whole, name: string) => {
    if (name[0] !== '#') return NAMED[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
