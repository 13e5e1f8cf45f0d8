import type { TargetResult } from '../domain/types.js';

/**
 * One call's finals and progress as record-results.lua takes them: a few long texts and their
 * layouts of byte lengths, not three arguments per target. Each result is serialised once, into
 * the batch that becomes the request's text of it (src/queue/request-results.ts) and the result
 * job's data (src/queue/result-jobs.ts).
 */
export interface PackedRecord {
  /**
   * The result batch, `head`, the results joined by commas, `]}`, as UTF-8 bytes: built from
   * parts that stay under V8's large-object size (see PART_BYTES), never as one string.
   */
  batch: Buffer;
  /** Bytes of the head, so the script finds the first result. */
  headBytes: number;
  /** `<target bytes>,<outcome bytes>,` per final: with the names, the job's finals field as it is kept. */
  finalsLayout: string;
  /** Each final's target and outcome, back to back. */
  finalsNames: string;
  /** `<result JSON bytes>,` per final: where each result sits in the batch. */
  resultsLayout: string;
  /** `<outcome>=<count>,` per outcome among the finals. */
  outcomeCounts: string;
  /** No target is named twice among the finals: with nothing final before, the script keeps them as sent. */
  distinct: boolean;
  /** `<target bytes>,<attempts bytes>,<last answer JSON bytes>,` per open target. */
  progressLayout: string;
  progressTexts: string;
}

/** An open target's progress, as JobStore.record takes it (its `Progress`, named here by shape). */
interface OpenTarget {
  target: string;
  attempts: number;
  last: unknown;
}

/** `head` is the batch up to and including `"results":[`. */
export function packRecord(head: string, finals: readonly TargetResult[], progress: readonly OpenTarget[]): PackedRecord {
  const results = resultPieces(finals);
  const progressLayout = new Array<string>(progress.length);
  const progressTexts = new Array<string>(progress.length);
  for (let i = 0; i < progress.length; i++) {
    const p = progress[i]!;
    const attempts = String(p.attempts);
    const last = JSON.stringify(p.last);
    progressLayout[i] = `${bytes(p.target)},${attempts.length},${bytes(last)},`;
    progressTexts[i] = p.target + attempts + last;
  }
  const headBytes = bytes(head);
  return {
    batch: joinedBytes(head, headBytes, results),
    headBytes,
    finalsLayout: results.finalsLayout.join(''),
    finalsNames: results.names.join(''),
    resultsLayout: results.resultsLayout.join(''),
    outcomeCounts: outcomeCountsOf(finals),
    distinct: results.distinct,
    progressLayout: progressLayout.join(''),
    progressTexts: progressTexts.join(''),
  };
}

/**
 * The finals as the batch and the layouts take them, in one pass. Each result's JSON text is three
 * pieces: a lead (`,{"target":`, or `{"target":` for the first), its target's JSON, and the rest
 * led by a comma (shared by a run of equal results). A plain target (printable ASCII, nothing to
 * escape: nearly every one) is written between the quotes that the lead and the rest carry, so no
 * text is made for it, and its bytes are its characters. Its layout entries repeat from one result
 * to the next, so a run of equal ones is made once (`Texts`).
 */
interface ResultPieces {
  /** Three per final, in order. */
  pieces: string[];
  /** Each final's JSON text, in UTF-8 bytes. */
  resultBytes: number[];
  names: string[];
  finalsLayout: string[];
  resultsLayout: string[];
  distinct: boolean;
}

const RESULT_LEAD = '{"target":';
const LEADS = { first: RESULT_LEAD, next: `,${RESULT_LEAD}`, firstPlain: `${RESULT_LEAD}"`, nextPlain: `,${RESULT_LEAD}"` };

function resultPieces(finals: readonly TargetResult[]): ResultPieces {
  const n = finals.length;
  const out: ResultPieces = {
    pieces: new Array<string>(n * 3),
    resultBytes: new Array<number>(n),
    names: new Array<string>(n * 2),
    finalsLayout: new Array<string>(n),
    resultsLayout: new Array<string>(n),
    distinct: true,
  };
  const restOf = restJsonWriter();
  const finalsTexts = new Texts();
  const resultsTexts = new Texts();
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const r = finals[i]!;
    const rest = restOf(r);
    const plain = isPlain(r.target);
    const targetJson = plain ? r.target : JSON.stringify(r.target);
    out.pieces[3 * i] = plain ? (i ? LEADS.nextPlain : LEADS.firstPlain) : i ? LEADS.next : LEADS.first;
    out.pieces[3 * i + 1] = targetJson;
    out.pieces[3 * i + 2] = plain ? rest.afterPlain : rest.after;
    const targetBytes = plain ? r.target.length : bytes(r.target);
    const outcomeBytes = r.outcome.length; // an Outcome: ASCII
    out.resultBytes[i] = RESULT_LEAD.length + (plain ? targetBytes + 2 : bytes(targetJson)) + 1 + rest.bytes;
    out.names[2 * i] = r.target;
    out.names[2 * i + 1] = r.outcome;
    out.finalsLayout[i] = finalsTexts.of(targetBytes, outcomeBytes);
    out.resultsLayout[i] = resultsTexts.of(out.resultBytes[i]!);
    seen.add(r.target);
  }
  out.distinct = seen.size === n;
  return out;
}

/** `<a>,` or `<a>,<b>,`; the text before is given again when asked for the same: a call's layouts repeat a few values in runs. */
class Texts {
  private a = Number.NaN;
  private b: number | undefined;
  private text = '';

  of(a: number, b?: number): string {
    if (a !== this.a || b !== this.b) {
      this.a = a;
      this.b = b;
      this.text = b === undefined ? `${a},` : `${a},${b},`;
    }
    return this.text;
  }
}

/** Printable ASCII but the quote and the backslash (0x20–0x7e less 0x22 and 0x5c). */
const PLAIN_TEXT = /^[ !#-[\]-~]*$/;

/**
 * A text whose JSON is itself between quotes, each character a byte. A pattern, not a loop over
 * its characters: in the worker such a loop took 23 µs a 100-target call, more than the
 * `JSON.stringify` it saves (profiles of tim-overhead, twentieth sitting).
 */
function isPlain(text: string): boolean {
  return PLAIN_TEXT.test(text);
}

/** `<outcome>=<count>,` per outcome among the finals. */
function outcomeCountsOf(finals: readonly TargetResult[]): string {
  const counts = new Map<string, number>();
  for (const r of finals) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, count]) => `${outcome}=${count},`).join('');
}

/** What follows a result's target: led by `,` (after a target's JSON) or by `",` (after a plain target between quotes). */
interface Rest {
  after: string;
  afterPlain: string;
  /** UTF-8 bytes of the rest alone, from its first key to its closing brace. */
  bytes: number;
}

/**
 * Serialises what follows a result's target as `JSON.stringify` does for a `TargetResult` built in
 * its declared order (settle-targets.ts): `"outcome":…,"code":…,"info":…,"attempts":…,"finishedAt":…}`,
 * `providerRequestId` last when there is one. A call's results share all but their target (one
 * answer code, one finish time, one request id), so this is serialised once per run of equal
 * results, and each result's text is only ever written into the batch, never made on its own.
 * Garbage a 100-target pack made: 74 KB when each result was a string of its own, 51–55 KB once
 * they were only pieces (nineteenth sitting); CPU: 76 -> 48 µs once plain targets needed no text
 * of their own nor the parts a byte count (twentieth sitting, docs/benchmarks.md). Only the
 * contract's fields are written, as the type names them.
 */
function restJsonWriter(): (r: TargetResult) => Rest {
  let prev: TargetResult | undefined;
  let rest: Rest = { after: '', afterPlain: '', bytes: 0 };
  return (r) => {
    if (!prev || !sameButTarget(r, prev)) {
      const { outcome, code, info, attempts, finishedAt, providerRequestId } = r;
      const text = JSON.stringify({ outcome, code, info, attempts, finishedAt, providerRequestId }).slice(1);
      rest = { after: `,${text}`, afterPlain: `",${text}`, bytes: bytes(text) };
      prev = r;
    }
    return rest;
  };
}

function sameButTarget(a: TargetResult, b: TargetResult): boolean {
  return (
    a.outcome === b.outcome &&
    a.code === b.code &&
    a.info === b.info &&
    a.attempts === b.attempts &&
    a.finishedAt === b.finishedAt &&
    a.providerRequestId === b.providerRequestId
  );
}

/**
 * Bytes per part of a batch, below V8's large-object threshold (128 KB): a string above it gets
 * pages of its own, mapped when it is made and unmapped when collected, and on a VM the page
 * faults of a 1000-target batch (~170 KB) cost ~0.5 ms each time it is made as one string. The
 * parts are written into one Buffer, which ioredis sends as it is (docs/benchmarks.md, ninth
 * sitting).
 */
const PART_BYTES = 48 * 1024;

/**
 * The head, then the results (each led by a comma but the first), then `]}`, as UTF-8 bytes in one
 * Buffer. The results are joined in parts of at most ~PART_BYTES, cut between results, each one
 * flat string (an array joined) written once: no part is a concatenation that V8 would copy again
 * to count or write it. Sizes come from the pieces (resultBytes), not from counting the parts.
 */
function joinedBytes(head: string, headBytes: number, { pieces, resultBytes }: ResultPieces): Buffer {
  let total = headBytes + 2;
  for (let i = 0; i < resultBytes.length; i++) total += resultBytes[i]! + (i ? 1 : 0);
  const joined = Buffer.allocUnsafeSlow(total);
  let at = joined.write(head, 0, headBytes, 'utf8');
  let first = 0;
  let partBytes = 0;
  for (let i = 0; i < resultBytes.length; i++) {
    const size = resultBytes[i]! + (i ? 1 : 0);
    if (i > first && partBytes + size > PART_BYTES) {
      at += joined.write(pieces.slice(3 * first, 3 * i).join(''), at, partBytes, 'utf8');
      first = i;
      partBytes = 0;
    }
    partBytes += size;
  }
  at += joined.write(first === 0 ? pieces.join('') : pieces.slice(3 * first).join(''), at, partBytes, 'utf8');
  // A size counted wrong would cut a result short without a word: the layouts must match the bytes.
  if (at + 2 !== total) throw new Error(`packed results are ${at - headBytes} bytes, their layout says ${total - headBytes - 2}`);
  joined.write(']}', at, 2, 'utf8');
  return joined;
}

/** UTF-8 bytes, which is what Lua's string positions count. */
function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
