import type { FastifyError, FastifyInstance } from 'fastify';
import { InvalidInputError } from '../domain/errors.js';
import { InvalidEntryError, RequestConflictError, UnknownRequestError } from '../client/errors.js';

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
 * status. Anything else is ours: logged, and answered 500 without details.
 */
export function installErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof InvalidInputError) {
      const body: ErrorReply = { error: err.message, field: err.field };
      if (err instanceof InvalidEntryError) body.index = err.index;
      return reply.code(400).send(body);
    }
    if (err instanceof UnknownRequestError) return reply.code(404).send({ error: err.message, requestId: err.requestId });
    if (err instanceof RequestConflictError) {
      return reply.code(409).send({ error: err.message, field: 'requestId', requestId: err.requestId });
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: err.message, field: '(body)' });
    }
    request.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url}` }));
}
