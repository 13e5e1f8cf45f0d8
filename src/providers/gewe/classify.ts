import { TransportError } from '../../domain/errors.js';
import type { CallVerdict, TargetVerdict } from '../../domain/verdict.js';
import type { HttpAnswer } from '../../http/post-json.js';
import { describeGeweAnswer, readGeweAnswer, searchableText } from './answer.js';
import { findGeweCode } from './codes.js';
import type { GeweOption } from './schema.js';

/** Gateway answers: the call never reached GeWe's handler, so sending again cannot add twice. */
const GATEWAY_CODES = new Set(['http_502', 'http_503', 'http_504']);

const NOT_SENT_AGAIN =
  'the add may have gone out, and a second call could reach the person twice, so it is not sent again';

/**
 * Classifies one addContacts call. A call carries one target, its v3. In order:
 * 1. never sent, or a gateway error (502/503/504): transient, whatever the option;
 * 2. any other transport failure, or a body that is not GeWe's envelope: ambiguous. For an add
 *    (option 2) it is final `failed` with the transport's code; accepts and rejects (3, 4) are
 *    idempotent for the person, so they are transient;
 * 3. the answer table (codes.ts), with `ret` as the code and msg plus data.code/data.msg as info.
 */
export function classifyGeweAnswer(
  job: { option: GeweOption; v3: string },
  answer: HttpAnswer | TransportError,
): CallVerdict {
  if (answer instanceof TransportError) return classifyTransport(job, answer);

  const body = readGeweAnswer(answer.body);
  if (!body) {
    const err = new TransportError(`not a GeWe answer: no numeric ret (HTTP ${answer.status})`, 'bad_response', true);
    return classifyTransport(job, err);
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
  const code = err.code;
  // Transport failures count as attempts, so MAX_ATTEMPTS bounds them.
  if (!err.sent || GATEWAY_CODES.has(String(code))) {
    return single(job.v3, { retryClass: 'transient', code, info: err.message, answered: true });
  }
  if (job.option === 2) {
    const info = `${err.message}; ${NOT_SENT_AGAIN}`;
    return single(job.v3, { retryClass: 'final', outcome: 'failed', code, info, answered: true });
  }
  return single(job.v3, { retryClass: 'transient', code, info: err.message, answered: true });
}

function single(target: string, v: Omit<TargetVerdict, 'target'>): CallVerdict {
  return { targets: [verdict(target, v)], callCode: v.code, callInfo: v.info };
}

function verdict(target: string, v: Omit<TargetVerdict, 'target'>): TargetVerdict {
  const out: TargetVerdict = { target, retryClass: v.retryClass, code: v.code, info: v.info, answered: v.answered };
  if (v.outcome !== undefined) out.outcome = v.outcome;
  return out;
}
