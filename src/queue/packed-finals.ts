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
  const jsons = new Array<string>(finals.length);
  const names = new Array<string>(finals.length);
  const targets = new Set<string>();
  const counts = new Map<string, number>();
  const json = resultJsonWriter();
  for (let i = 0; i < finals.length; i++) {
    const r = finals[i]!;
    jsons[i] = json(r);
    names[i] = r.target + r.outcome;
    targets.add(r.target);
    counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  }
  const parts = inParts(head, jsons);
  const partBytes = parts.map(bytes);
  const finalsNames = names.join('');
  // Nearly always ASCII: then characters are bytes, and one check replaces a count per text.
  const ascii = parts.every((part, i) => partBytes[i] === part.length) && isAscii(finalsNames);
  const size = ascii ? (text: string) => text.length : bytes;
  const layout = new Array<string>(finals.length);
  const resultsLayout = new Array<string>(finals.length);
  for (let i = 0; i < finals.length; i++) {
    layout[i] = `${size(finals[i]!.target)},${size(finals[i]!.outcome)},`;
    resultsLayout[i] = `${size(jsons[i]!)},`;
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
  return {
    batch: joinedBytes(parts, partBytes),
    headBytes: bytes(head),
    finalsLayout: layout.join(''),
    finalsNames,
    resultsLayout: resultsLayout.join(''),
    outcomeCounts: [...counts].map(([outcome, count]) => `${outcome}=${count},`).join(''),
    distinct: targets.size === finals.length,
    progressLayout: progressLayout.join(''),
    progressTexts: progressTexts.join(''),
  };
}

/**
 * Serialises results as `JSON.stringify` does for a `TargetResult` built in its declared order
 * (settle-targets.ts): `{"target":…,"outcome":…,"code":…,"info":…,"attempts":…,"finishedAt":…}`,
 * `providerRequestId` last when there is one. A call's results share all but their target (one
 * answer code, one finish time, one request id), so the rest is serialised once per run of equal
 * results and the target joined to it. A `JSON.stringify` of each whole result made packing a
 * 1000-target call 0.97 ms on a 2-vCPU VM, this 0.80 (docs/benchmarks.md, thirteenth sitting).
 * Only the contract's fields are written, as the type names them.
 */
function resultJsonWriter(): (r: TargetResult) => string {
  let prev: TargetResult | undefined;
  let rest = '';
  return (r) => {
    if (!prev || !sameButTarget(r, prev)) {
      const { outcome, code, info, attempts, finishedAt, providerRequestId } = r;
      rest = JSON.stringify({ outcome, code, info, attempts, finishedAt, providerRequestId }).slice(1);
      prev = r;
    }
    return `{"target":${JSON.stringify(r.target)},${rest}`;
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
 * faults of a 1000-target batch (~170 KB, made twice: joined, then flattened for writing) cost
 * ~0.5 ms each. The parts are written into one Buffer, which ioredis sends as it is
 * (docs/benchmarks.md, ninth sitting).
 */
const PART_CHARS = 48 * 1024;

/** `head`, the results joined by commas, `]}`, cut between results into parts of at most ~PART_CHARS. */
function inParts(head: string, jsons: readonly string[]): string[] {
  const parts: string[] = [];
  let first = 0;
  let chars = head.length;
  for (let i = 0; i < jsons.length; i++) {
    if (i > first && chars + jsons[i]!.length + 1 > PART_CHARS) {
      parts.push(partOf(head, jsons, first, i));
      first = i;
      chars = 0;
    }
    chars += jsons[i]!.length + 1;
  }
  parts.push(`${partOf(head, jsons, first, jsons.length)}]}`);
  return parts;
}

/** Results first..end-1 joined, led by the head (first part) or the comma that follows the one before. */
function partOf(head: string, jsons: readonly string[], first: number, end: number): string {
  const joined = jsons.slice(first, end).join(',');
  return first === 0 ? head + joined : `,${joined}`;
}

/** The parts' UTF-8 bytes back to back (`sizes`: each part's byte length). */
function joinedBytes(parts: readonly string[], sizes: readonly number[]): Buffer {
  const joined = Buffer.allocUnsafeSlow(sizes.reduce((sum, size) => sum + size, 0));
  let at = 0;
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
