import type { FastifyInstance } from 'fastify';
import type { FriendAddClient } from '../../client/friend-add-client.js';
import { UnknownRequestError } from '../../client/errors.js';
import { parseQuery } from '../query.js';

type WithRequestId = { Params: { requestId: string } };

/** Status, cancel and re-drive of one request. An unknown (or expired) request answers 404. */
export async function requestRoutes(app: FastifyInstance, options: { client: FriendAddClient }): Promise<void> {
  const { client } = options;

  app.get<WithRequestId>('/v1/requests/:requestId', async (request) => {
    const { offset, limit } = parseQuery(request.query);
    const status = await client.getRequest(request.params.requestId, { offset, limit });
    if (!status) throw new UnknownRequestError(request.params.requestId);
    return status;
  });

  app.post<WithRequestId>('/v1/requests/:requestId/cancel', async (request, reply) => {
    const cancelled = await client.cancelRequest(request.params.requestId);
    return reply.code(202).send({ ...cancelled, cancelled: true });
  });

  /** 202 with the new request; 200 with requestId null when no target has failed. */
  app.post<WithRequestId>('/v1/requests/:requestId/retry-failed', async (request, reply) => {
    const retry = await client.retryFailed(request.params.requestId);
    return reply.code(retry.requestId === null ? 200 : 202).send(retry);
  });
}
