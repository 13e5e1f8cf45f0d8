import { randomBytes } from 'node:crypto';
import { infoFor } from './codes.js';
import type { ItemResult } from './friend-book.js';

export interface ResultItem {
  To_Account: string;
  ResultCode: number;
  ResultInfo: string;
}

/** A friend_add answer body, with its keys in the order of the doc's examples. */
export interface TimAnswer {
  ResultItem?: ResultItem[];
  Fail_Account?: string[];
  Invalid_Account?: string[];
  ActionStatus: 'OK' | 'FAIL';
  ErrorCode: number;
  ErrorInfo: string;
  ErrorDisplay: '';
  RequestId: string;
}

/** RequestIds shaped like TIM's (`Id-<hex>-O-Seq-<n>`), unique within a simulator. */
export class RequestIds {
  private readonly prefix = `Id-${randomBytes(12).toString('hex')}-O-Seq-`;
  private seq = 0;

  next(): string {
    return this.prefix + ++this.seq;
  }
}

/** A call refused whole: ActionStatus FAIL, no per-item lists. */
export function failAnswer(code: number, requestId: string): TimAnswer {
  return { ActionStatus: 'FAIL', ErrorCode: code, ErrorInfo: infoFor(code), ErrorDisplay: '', RequestId: requestId };
}

/**
 * A call served: ActionStatus OK and ErrorCode 0 even when some items failed, as TIM does.
 * Failed items (non-zero ResultCode) are also listed in Fail_Account; invalid accounts appear only
 * in Invalid_Account; omitted ones nowhere.
 */
export function okAnswer(results: readonly ItemResult[], requestId: string): TimAnswer {
  const resultItems: ResultItem[] = [];
  const failed: string[] = [];
  const invalid: string[] = [];
  for (const r of results) {
    if (r.kind === 'invalid') invalid.push(r.toAccount);
    if (r.kind !== 'item') continue;
    resultItems.push({ To_Account: r.toAccount, ResultCode: r.code, ResultInfo: r.info });
    if (r.code !== 0) failed.push(r.toAccount);
  }
  return {
    ResultItem: resultItems,
    Fail_Account: failed,
    Invalid_Account: invalid,
    ActionStatus: 'OK',
    ErrorCode: 0,
    ErrorInfo: '',
    ErrorDisplay: '',
    RequestId: requestId,
  };
}
