/**
 * How a job's state hash keeps which targets are final, and with what outcome.
 *
 * Each recorded batch writes one field, `F:<seq>` = `<layout>\n<names>`: the layout is
 * `<target bytes>,<outcome bytes>,` per final, the names each target and outcome back to back.
 * One field per call instead of one per target: a 1000-target call wrote 1000 hash fields, the
 * largest single cost of recording it in Redis (record-results.lua reads and writes this format).
 *
 * Jobs recorded before this format keep `f:<target>` = outcome; both are read, so a job that was
 * in flight across an upgrade keeps its finals.
 */

/** Final outcomes by target, from a job's whole state hash. */
export function finalOutcomes(hash: Readonly<Record<string, string>>): Map<string, string> {
  const outcomes = new Map<string, string>();
  for (const field in hash) {
    if (field.startsWith('F:')) decodeFinals(hash[field]!, outcomes);
    else if (field.startsWith('f:')) outcomes.set(field.slice(2), hash[field]!);
  }
  return outcomes;
}

/** Adds one `F:<seq>` field's finals to `into`. */
export function decodeFinals(value: string, into: Map<string, string>): void {
  const cut = value.indexOf('\n');
  const layout = value.slice(0, cut);
  const names = value.slice(cut + 1);
  // Layout lengths count UTF-8 bytes; when every name is ASCII, bytes and characters agree.
  const text: string | Buffer = Buffer.byteLength(names, 'utf8') === names.length ? names : Buffer.from(names, 'utf8');
  const slice = (from: number, to: number) => (typeof text === 'string' ? text.slice(from, to) : text.toString('utf8', from, to));
  let at = 0;
  let start = 0;
  while (start < layout.length) {
    const comma1 = layout.indexOf(',', start);
    const comma2 = layout.indexOf(',', comma1 + 1);
    const targetEnd = at + Number(layout.slice(start, comma1));
    const outcomeEnd = targetEnd + Number(layout.slice(comma1 + 1, comma2));
    into.set(slice(at, targetEnd), slice(targetEnd, outcomeEnd));
    at = outcomeEnd;
    start = comma2 + 1;
  }
}
