import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { InvalidInputError } from '../domain/errors.js';
import { InvalidEntryError, RequestConflictError, UnknownRequestError, inputError } from '../client/errors.js';

/** Every error answer's body: what went wrong, and for bad input the field at fault. */
export interface ErrorReply {
  error: string;
  /** A path such as `targets.12.remark`; `(body)` when the body could not be read at all. */
  field?: string;
  /** The target's (or GeWe item's) index in the list as submitted. */
  index?: number;
  requestId?: string;
}

/**
 * Maps the library's typed errors to HTTP: bad input 400, unknown request 404, the same requestId
 * with other content 409; fastify's own client errors (bad JSON, body too large) keep their
 * status. A route schema's validation error (fastify-type-provider-zod) is bad input like the
 * library's: its first issue names the field, and a target's or item's index. Anything else is
 * ours: logged, and answered 500 without details.
 */
export function installErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((caught: FastifyError, request, reply) => {
    const err = hasZodFastifySchemaValidationErrors(caught) ? validationInputError(caught.validation[0]!) : caught;
    if (err instanceof InvalidInputError) {
      const body: ErrorReply = { error: err.message, field: err.field };
      if (err instanceof InvalidEntryError) body.index = err.index;
      return reply.code(400).send(body);
    }
    if (err instanceof UnknownRequestError) return reply.code(404).send({ error: err.message, requestId: err.requestId });
    if (err instanceof RequestConflictError) {
      return reply.code(409).send({ error: err.message, field: 'requestId', requestId: err.requestId });
    }
    if (typeof caught.statusCode === 'number' && caught.statusCode >= 400 && caught.statusCode < 500) {
      return reply.code(caught.statusCode).send({ error: caught.message, field: '(body)' });
    }
    request.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url}` }));
}

/**
 * The type provider reports a zod issue's path as a JSON pointer (`/targets/1/toAccount`): back to
 * a path, list positions as numbers, so that `targets.1.toAccount` carries index 1 as the
 * library's own errors do (the pointer is the path joined with `/`, unescaped). Object keys that
 * are all digits read as numbers too; only a number after `targets` or `items` gives an index.
 */
function validationInputError(issue: { instancePath: string; message?: string }): InvalidInputError {
  const path = issue.instancePath
    .split('/')
    .slice(1)
    .filter((segment) => segment !== '')
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  return inputError(path, issue.message ?? 'invalid');
}
