import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FriendAddClient } from '../../client/friend-add-client.js';
import { UnknownRequestError } from '../../client/errors.js';
import { answer, errorAnswers, pageQuerySchema, requestIdParamsSchema, requestStatusSchema, submittedSchema } from '../api-schemas.js';

const known = { 401: errorAnswers.unauthorized, 404: errorAnswers.unknownRequest };

/** Status, cancel and re-drive of one request. An unknown (or expired) request answers 404. */
export async function requestRoutes(app: FastifyInstance, options: { client: FriendAddClient }): Promise<void> {
  const { client } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/requests/:requestId',
    {
      schema: {
        summary: 'totals by outcome, open targets, a page of results, and called targets still open',
        params: requestIdParamsSchema,
        querystring: pageQuerySchema,
        response: { 200: answer("the request's status", requestStatusSchema), 400: errorAnswers.badInput, ...known },
      },
    },
    async (request) => {
      const { offset, limit } = request.query;
      const status = await client.getRequest(request.params.requestId, { offset, limit });
      if (!status) throw new UnknownRequestError(request.params.requestId);
      return status;
    },
  );

  api.post(
    '/v1/requests/:requestId/cancel',
    {
      schema: {
        summary: 'cancel: targets not yet called end cancelled; calls in flight finish',
        params: requestIdParamsSchema,
        response: {
          202: answer(
            'cancelled; `woken`: delayed jobs woken to end their targets now',
            z.object({ requestId: z.string(), woken: z.number().int(), cancelled: z.literal(true) }),
          ),
          ...known,
        },
      },
    },
    async (request, reply) => {
      const cancelled = await client.cancelRequest(request.params.requestId);
      return reply.code(202).send({ ...cancelled, cancelled: true as const });
    },
  );

  /** 202 with the new request; 200 with requestId null when no target has failed. */
  api.post(
    '/v1/requests/:requestId/retry-failed',
    {
      schema: {
        summary: 'a new request with the failed targets (`<id>-retry-<n>`); asking again adds nothing while the failed set is the same',
        params: requestIdParamsSchema,
        response: {
          202: answer('submitted', submittedSchema),
          200: answer('nothing failed: no request made', z.object({ requestId: z.null(), jobs: z.literal(0), targets: z.literal(0) })),
          400: errorAnswers.badInput,
          ...known,
        },
      },
    },
    async (request, reply) => {
      const retry = await client.retryFailed(request.params.requestId);
      return reply.code(retry.requestId === null ? 200 : 202).send(retry);
    },
  );
}
