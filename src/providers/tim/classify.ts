import { TransportError } from '../../domain/errors.js';
import type { ResultCode, RetryClass } from '../../domain/types.js';
import type { AccountEffect, CallVerdict, TargetVerdict } from '../../domain/verdict.js';
import type { HttpAnswer } from '../../http/post-json.js';
import { parseTimAnswer, timResultItemSchema, type TimAnswer, type TimResultItem } from './answer-schema.js';
import { TIM_CODES, UNKNOWN_CODE, type CodeEntry } from './codes.js';

/** TIM names nonexistent accounts in Invalid_Account, without an item; 30003 is its code for that. */
const INVALID_ACCOUNT_CODE = 30003;

/** When items of one call carry different effects, the strongest one speaks for the call. */
const EFFECT_RANK: readonly AccountEffect[] = ['suspend', 'disabled', 'strike', 'resign', 'rate_limited', 'split', 'park'];

/**
 * Classifies one friend_add call, for every target it carried: each appears exactly once in the
 * verdict, in order, and none is ever dropped. Pure: the same answer always gives the same verdict.
 *
 * `answered` (counts as an attempt) is true for transient and final verdicts, false for
 * rate_limited and strike ones (frequency refusals, strikes, 70001, 30517: the call was not
 * really tried, and the contract says those do not use up MAX_ATTEMPTS).
 */
export function classifyTimAnswer(targets: readonly string[], answer: HttpAnswer | TransportError): CallVerdict {
  // 1. No answer at all. It still counts as an attempt, or a dead provider would be called forever.
  if (answer instanceof TransportError) {
    const each = (target: string): TargetVerdict => ({ target, retryClass: 'transient', code: answer.code, info: answer.message, answered: true });
    return { targets: targets.map(each), callCode: answer.code, callInfo: answer.message };
  }

  // 2. An answer that is not a TIM answer (an HTML page, a proxy's JSON, a garbled body).
  const providerRequestId = requestIdOf(answer.body);
  const parsed = parseTimAnswer(answer.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
    return notTimAnswer(targets, answer.status, `not a TIM answer: ${where}: ${issue?.message ?? 'invalid'}`, providerRequestId);
  }
  const body = parsed.data;

  // 3. The whole call failed: one code speaks for every target.
  if (body.ActionStatus !== 'OK' || body.ErrorCode !== 0) {
    if (body.ErrorCode === 0) {
      return notTimAnswer(targets, answer.status, `ActionStatus ${body.ActionStatus} with ErrorCode 0`, providerRequestId);
    }
    const entry = lookup(body.ErrorCode, body.ErrorInfo, 'call');
    const each = (target: string) => verdictOf(target, entry, body.ErrorCode, body.ErrorInfo);
    return callVerdict(targets.map(each), entry.effect, body, providerRequestId);
  }

  // 4. The call went through: each target by its own item.
  return perItem(targets, body, providerRequestId);
}

function perItem(targets: readonly string[], body: TimAnswer, providerRequestId: string | undefined): CallVerdict {
  const itemOf = itemLookup(targets, body.ResultItem ?? []);
  // Read only for a target without an item: none, in an answer that has one for each.
  let invalid: Set<string> | undefined;
  let failed: Set<string> | undefined;
  const effects: AccountEffect[] = [];

  const verdicts = targets.map((target, index): TargetVerdict => {
    const item = itemOf(target, index);
    if (item) {
      const entry = lookup(item.ResultCode, item.ResultInfo, 'item');
      if (entry.effect) effects.push(entry.effect);
      return verdictOf(target, entry, item.ResultCode, item.ResultInfo);
    }
    invalid ??= stringSet(body.Invalid_Account);
    failed ??= stringSet(body.Fail_Account);
    if (invalid.has(target)) {
      return verdictOf(target, lookup(INVALID_ACCOUNT_CODE, '', 'item'), INVALID_ACCOUNT_CODE, 'Invalid_Account');
    }
    const info = failed.has(target) ? 'in Fail_Account without a ResultItem' : 'missing from ResultItem';
    return { target, retryClass: 'transient', code: 'bad_response', info, answered: true };
  });
  return callVerdict(verdicts, strongest(effects), body, providerRequestId);
}

/**
 * How a target's item is found. TIM lists an item for each target, in the call's order: then the
 * item at the target's place is its own, and no Map of up to 1000 items is built. Any other answer
 * (an item missing, garbled or out of place) is read by name, the first item of a name counting;
 * a garbled item is ignored, so its target counts as missing (transient), never as a success. The
 * call's targets are distinct (the plan's), so both ways find the same item.
 */
function itemLookup(targets: readonly string[], raws: readonly unknown[]): (target: string, index: number) => TimResultItem | undefined {
  const inOrder = raws.length === targets.length ? itemsInOrder(targets, raws) : undefined;
  if (inOrder) return (_target, index) => inOrder[index];
  const items = new Map<string, TimResultItem>();
  for (const raw of raws) {
    const item = resultItem(raw);
    if (item && !items.has(item.To_Account)) items.set(item.To_Account, item);
  }
  return (target) => items.get(target);
}

function itemsInOrder(targets: readonly string[], raws: readonly unknown[]): TimResultItem[] | undefined {
  const items = new Array<TimResultItem>(raws.length);
  for (let i = 0; i < raws.length; i++) {
    const item = resultItem(raws[i]);
    if (!item || item.To_Account !== targets[i]) return undefined;
    items[i] = item;
  }
  return items;
}

/**
 * One ResultItem, checked: an item that is already what the schema gives back (the usual case,
 * up to 1000 per call) is taken as it is; any other goes through the schema, which says what a
 * garbled one is worth.
 */
function resultItem(raw: unknown): TimResultItem | undefined {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const r = raw as Record<string, unknown>;
    if (typeof r.To_Account === 'string' && Number.isSafeInteger(r.ResultCode) && typeof r.ResultInfo === 'string') return r as TimResultItem;
  }
  const item = timResultItemSchema.safeParse(raw);
  return item.success ? item.data : undefined;
}

/** The one place the code table is read. */
function lookup(code: number, info: string, level: 'call' | 'item'): CodeEntry {
  const entry = TIM_CODES.get(code) ?? UNKNOWN_CODE;
  if (level === 'call') return entry.asCallError ?? entry;
  return entry.byInfo?.get(info) ?? entry;
}

function verdictOf(target: string, entry: CodeEntry, code: number, providerText: string): TargetVerdict {
  // The provider's own text where it gave one; our meaning otherwise, so a result explains itself.
  const info = providerText || (code === 0 ? '' : entry.meaning);
  const answered = countsAsAttempt(entry.retryClass);
  // Two literals rather than a spread: this runs for each of up to 1000 targets a call.
  if (entry.outcome) return { target, retryClass: entry.retryClass, outcome: entry.outcome, code, info, answered };
  return { target, retryClass: entry.retryClass, code, info, answered };
}

function countsAsAttempt(retryClass: RetryClass): boolean {
  return retryClass === 'transient' || retryClass === 'final';
}

function notTimAnswer(targets: readonly string[], status: number, info: string, providerRequestId?: string): CallVerdict {
  // A non-2xx status tells more than "bad body": keep it as the contract's `http_<status>`.
  const code: ResultCode = status >= 200 && status < 300 ? 'bad_response' : `http_${status}`;
  const each = (target: string): TargetVerdict => ({ target, retryClass: 'transient', code, info, answered: true });
  return { targets: targets.map(each), callCode: code, callInfo: info, ...(providerRequestId && { providerRequestId }) };
}

function callVerdict(verdicts: TargetVerdict[], effect: AccountEffect | undefined, body: TimAnswer, providerRequestId: string | undefined): CallVerdict {
  return {
    targets: verdicts,
    ...(effect && { effect }),
    callCode: body.ErrorCode,
    callInfo: body.ErrorInfo,
    ...(providerRequestId && { providerRequestId }),
  };
}

function strongest(effects: readonly AccountEffect[]): AccountEffect | undefined {
  return EFFECT_RANK.find((e) => effects.includes(e));
}

function stringSet(values: readonly unknown[] | undefined): Set<string> {
  return new Set((values ?? []).filter((v): v is string => typeof v === 'string'));
}

/** Tencent support asks for the RequestId, so it is kept even when the rest of the body is garbled. */
function requestIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const id = (body as { RequestId?: unknown }).RequestId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
