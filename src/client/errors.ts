import { InvalidInputError } from '../domain/errors.js';

/**
 * Bad input inside a list: a TIM target or a GeWe item. `field` is the full path, such as
 * `targets.12.remark`; `index` is the entry's position in the list as submitted.
 */
export class InvalidEntryError extends InvalidInputError {
  override name = 'InvalidEntryError';
  constructor(
    message: string,
    field: string,
    readonly index: number,
  ) {
    super(message, field);
  }
}

/**
 * A requestId submitted again with different content, or one already used by jobs added
 * directly to the queue. Submits are idempotent by requestId only for the same content.
 */
export class RequestConflictError extends Error {
  override name = 'RequestConflictError';
  constructor(
    message: string,
    readonly requestId: string,
  ) {
    super(message);
  }
}

/** No status of this request in Redis: never submitted, or expired after REQUEST_TTL_HOURS. */
export class UnknownRequestError extends Error {
  override name = 'UnknownRequestError';
  constructor(readonly requestId: string) {
    super(`unknown request ${requestId}`);
  }
}

/**
 * Builds the error for the first problem at `path` (a zod issue path or our own): a path into
 * a list (`targets.N...`, `items.N...`) carries the entry's index.
 */
export function inputError(path: readonly PropertyKey[], message: string): InvalidInputError {
  const field = path.length > 0 ? path.map(String).join('.') : '(root)';
  const [list, index] = path;
  if ((list === 'targets' || list === 'items') && typeof index === 'number') {
    return new InvalidEntryError(`${field}: ${message}`, field, index);
  }
  return new InvalidInputError(`${field}: ${message}`, field);
}
