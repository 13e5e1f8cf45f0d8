import type { ResultCode, RetryClass } from './types.js';

/** An error that knows what should happen next. Whoever throws one decides the call's fate. */
export class ClassifiedError extends Error {
  override name = 'ClassifiedError';
  constructor(
    message: string,
    readonly retryClass: RetryClass,
    readonly code: ResultCode,
  ) {
    super(message);
  }
}

/**
 * A transport failure: the call never got a usable answer (network, timeout, 5xx, HTML, truncated
 * JSON). Never success. `sent` tells whether the request may have reached the provider, which
 * matters where a second call could reach a person twice (GeWe adds).
 */
export class TransportError extends ClassifiedError {
  override name = 'TransportError';
  constructor(
    message: string,
    code: 'timeout' | 'network' | 'bad_response' | `http_${number}`,
    readonly sent: boolean,
  ) {
    super(message, 'transient', code);
  }
}

/** Input that breaks the contract. `field` is a path such as `targets.3.remark`. */
export class InvalidInputError extends ClassifiedError {
  override name = 'InvalidInputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message, 'final', 'invalid_input');
  }
}
