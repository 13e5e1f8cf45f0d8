import { TransportError } from '../../domain/errors.js';
import type { CallVerdict, TargetVerdict } from '../../domain/verdict.js';
import type { HttpAnswer } from '../../http/post-json.js';
import { describeGeweAnswer, readGeweAnswer, searchableText } from './answer.js';
import { findGeweCode } from './codes.js';
import type { GeweOption } from './schema.js';

/** The contract's code for an add that may have reached GeWe: final `failed`, never sent again. */
export const UNCONFIRMED = 'unconfirmed';

const NOT_SENT_AGAIN = 'the add may have been made, and a second call could reach the person twice, so it is not sent again';

/**
 * Classifies one addContacts call. A call carries one target, its v3. In order:
 * 1. a failure before any byte left this process (refused, DNS, a socket that failed before the
 *    first byte): transient, whatever the option;
 * 2. anything else that is not GeWe's envelope (a gateway's 502/503/504 page, a reset after
 *    sending, a timeout, a garbled body): the request may have been handled. An add (option 2)
 *    ends final `failed` / `unconfirmed`, with `info` saying what happened; accepts and rejects
 *    (3, 4) reach nobody twice, so they stay transient under their transport code;
 * 3. GeWe's envelope, whatever the HTTP status: the answer table (codes.ts), with `ret` as the
 *    code and msg plus data.code/data.msg as info.
 */
export function classifyGeweAnswer(job: { option: GeweOption; v3: string }, answer: HttpAnswer | TransportError): CallVerdict {
  if (answer instanceof TransportError) return classifyTransport(job, answer);

  const body = readGeweAnswer(answer.body);
  if (!body) {
    const code = answer.status >= 200 && answer.status < 300 ? 'bad_response' : (`http_${answer.status}` as const);
    return classifyTransport(job, new TransportError(`not a GeWe answer: no numeric ret (HTTP ${answer.status})`, code, true));
  }

  const entry = findGeweCode(body.ret, job.option, searchableText(body));
  const info = describeGeweAnswer(body);
  return {
    targets: [
      verdict(job.v3, {
        retryClass: entry.retryClass,
        outcome: entry.outcome,
        code: body.ret,
        info,
        // Strikes and parks refuse the account, not this target: they use up no attempt.
        answered: entry.retryClass === 'final' || entry.retryClass === 'transient',
      }),
    ],
    ...(entry.effect ? { effect: entry.effect } : {}),
    callCode: body.ret,
    callInfo: info,
  };
}

function classifyTransport(job: { option: GeweOption; v3: string }, err: TransportError): CallVerdict {
  // Transport failures count as attempts, so MAX_ATTEMPTS bounds them.
  if (job.option === 2 && err.sent) {
    const info = `${err.message} (${err.code}); ${NOT_SENT_AGAIN}`;
    return single(job.v3, { retryClass: 'final', outcome: 'failed', code: UNCONFIRMED, info, answered: true });
  }
  return single(job.v3, { retryClass: 'transient', code: err.code, info: err.message, answered: true });
}

function single(target: string, v: Omit<TargetVerdict, 'target'>): CallVerdict {
  return { targets: [verdict(target, v)], callCode: v.code, callInfo: v.info };
}

function verdict(target: string, v: Omit<TargetVerdict, 'target'>): TargetVerdict {
  const out: TargetVerdict = { target, retryClass: v.retryClass, code: v.code, info: v.info, answered: v.answered };
  if (v.outcome !== undefined) out.outcome = v.outcome;
  return out;
}
