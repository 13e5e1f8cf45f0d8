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
   * parts that stay under V8's large-object size (see PART_CHARS), never as one string.
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
  const parts = inParts(results);
  const partBytes = parts.map(bytes);
  const finalsNames = finalsNamesOf(finals);
  // Nearly always ASCII: then characters are bytes, and one check replaces a count per text.
  const ascii = parts.every((part, i) => partBytes[i] === part.length) && isAscii(finalsNames);
  const size = ascii ? (text: string) => text.length : bytes;
  const layout = new Array<number>(finals.length * 2);
  const resultsLayout = new Array<number>(finals.length);
  for (let i = 0; i < finals.length; i++) {
    layout[2 * i] = size(finals[i]!.target);
    layout[2 * i + 1] = size(finals[i]!.outcome);
    resultsLayout[i] = RESULT_LEAD.length + size(results.targetJsons[i]!) + 1 + size(results.rests[i]!);
  }
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
    batch: joinedBytes(head, headBytes, parts, partBytes),
    headBytes,
    finalsLayout: commaEach(layout),
    finalsNames,
    resultsLayout: commaEach(resultsLayout),
    outcomeCounts: outcomeCountsOf(finals),
    distinct: allDistinct(finals),
    progressLayout: progressLayout.join(''),
    progressTexts: progressTexts.join(''),
  };
}

/** What each result's JSON text is made of: `{"target":`, its target's JSON, `,`, the rest (shared by a run of equal results). */
interface ResultPieces {
  targetJsons: string[];
  rests: string[];
}

const RESULT_LEAD = '{"target":';

function resultPieces(finals: readonly TargetResult[]): ResultPieces {
  const targetJsons = new Array<string>(finals.length);
  const rests = new Array<string>(finals.length);
  const restOf = restJsonWriter();
  for (let i = 0; i < finals.length; i++) {
    targetJsons[i] = JSON.stringify(finals[i]!.target);
    rests[i] = restOf(finals[i]!);
  }
  return { targetJsons, rests };
}

/** Each final's target and outcome, back to back. */
function finalsNamesOf(finals: readonly TargetResult[]): string {
  const names = new Array<string>(finals.length * 2);
  for (let i = 0; i < finals.length; i++) {
    names[2 * i] = finals[i]!.target;
    names[2 * i + 1] = finals[i]!.outcome;
  }
  return names.join('');
}

/** `<outcome>=<count>,` per outcome among the finals. */
function outcomeCountsOf(finals: readonly TargetResult[]): string {
  const counts = new Map<string, number>();
  for (const r of finals) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, count]) => `${outcome}=${count},`).join('');
}

function allDistinct(finals: readonly TargetResult[]): boolean {
  const targets = new Set<string>();
  for (const r of finals) targets.add(r.target);
  return targets.size === finals.length;
}

/** `<n>,` per number. */
function commaEach(numbers: readonly number[]): string {
  return numbers.length ? `${numbers.join(',')},` : '';
}

/**
 * Serialises what follows a result's target as `JSON.stringify` does for a `TargetResult` built in
 * its declared order (settle-targets.ts): `"outcome":…,"code":…,"info":…,"attempts":…,"finishedAt":…}`,
 * `providerRequestId` last when there is one. A call's results share all but their target (one
 * answer code, one finish time, one request id), so this is serialised once per run of equal
 * results, and each result's text is only ever written into the batch, never made on its own:
 * packing a 100-target call made 74 KB of garbage when each result was a string of its own, then
 * joined, then flattened with the head; 51–55 KB since (docs/benchmarks.md, nineteenth sitting). Only
 * the contract's fields are written, as the type names them.
 */
function restJsonWriter(): (r: TargetResult) => string {
  let prev: TargetResult | undefined;
  let rest = '';
  return (r) => {
    if (!prev || !sameButTarget(r, prev)) {
      const { outcome, code, info, attempts, finishedAt, providerRequestId } = r;
      rest = JSON.stringify({ outcome, code, info, attempts, finishedAt, providerRequestId }).slice(1);
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
 * Characters per part of a batch, below V8's large-object threshold (128 KB): a string above it
 * gets pages of its own, mapped when it is made and unmapped when collected, and on a VM the page
 * faults of a 1000-target batch (~170 KB) cost ~0.5 ms each time it is made as one string. The
 * parts are written into one Buffer, which ioredis sends as it is (docs/benchmarks.md, ninth
 * sitting).
 */
const PART_CHARS = 48 * 1024;

/**
 * The results joined by commas, then `]}`, cut between results into parts of at most ~PART_CHARS,
 * each one flat string (an array joined): the head is written into the batch on its own, so no
 * part is a concatenation that V8 would copy again to count or write it.
 */
function inParts({ targetJsons, rests }: ResultPieces): string[] {
  const parts: string[] = [];
  let first = 0;
  let chars = 0;
  for (let i = 0; i < targetJsons.length; i++) {
    const length = RESULT_LEAD.length + targetJsons[i]!.length + 1 + rests[i]!.length + 1;
    if (i > first && chars + length > PART_CHARS) {
      parts.push(partOf(targetJsons, rests, first, i, ''));
      first = i;
      chars = 0;
    }
    chars += length;
  }
  parts.push(partOf(targetJsons, rests, first, targetJsons.length, ']}'));
  return parts;
}

/** Results first..end-1, each led by a comma but the very first, then `tail`: one array of pieces, sized once, joined. */
function partOf(targetJsons: readonly string[], rests: readonly string[], first: number, end: number, tail: string): string {
  const pieces = new Array<string>((end - first) * 5 + 1);
  let at = 0;
  for (let i = first; i < end; i++) {
    pieces[at++] = i > 0 ? ',' : '';
    pieces[at++] = RESULT_LEAD;
    pieces[at++] = targetJsons[i]!;
    pieces[at++] = ',';
    pieces[at++] = rests[i]!;
  }
  pieces[at] = tail;
  return pieces.join('');
}

/** The head's and the parts' UTF-8 bytes back to back (`sizes`: each one's byte length). */
function joinedBytes(head: string, headBytes: number, parts: readonly string[], sizes: readonly number[]): Buffer {
  const joined = Buffer.allocUnsafeSlow(sizes.reduce((sum, size) => sum + size, headBytes));
  let at = joined.write(head, 0, headBytes, 'utf8');
  for (let i = 0; i < parts.length; i++) at += joined.write(parts[i]!, at, sizes[i]!, 'utf8');
  return joined;
}

/** UTF-8 bytes, which is what Lua's string positions count. */
function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Every character below 0x80: one byte each in UTF-8. */
function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}
