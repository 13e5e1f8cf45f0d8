import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FriendAddClient } from '../../client/friend-add-client.js';
import { apiSchemas, errorAnswers, noContent } from '../api-schemas.js';

const onlineSinceSchema = z.object({
  onlineSince: z.iso
    .datetime({ offset: true, error: 'onlineSince must be an ISO 8601 time, e.g. 2026-01-01T08:00:00Z' })
    .register(apiSchemas, { description: 'when the account came online; an account online less than GEWE_NEW_ACCOUNT_HOURS is paced as new' }),
});

/** TIM From_Account or GeWe appId; the library checks the provider again. */
export const accountParamsSchema = z.object({
  provider: z.enum(['tim', 'gewe'], { error: 'provider must be tim or gewe' }),
  account: z.string().register(apiSchemas, { description: 'TIM From_Account or GeWe appId' }),
});

const done = { 204: noContent('done'), 400: errorAnswers.badInput, 401: errorAnswers.unauthorized };

/** Operating accounts: pause and resume (TIM From_Account or GeWe appId), and GeWe's online time. */
export async function accountRoutes(app: FastifyInstance, options: { client: FriendAddClient }): Promise<void> {
  const { client } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/v1/accounts/:provider/:account/pause',
    { schema: { summary: 'pause: its jobs wait, holding no worker slot', params: accountParamsSchema, response: done } },
    async (request, reply) => {
      await client.pauseAccount(request.params.provider, request.params.account);
      return reply.code(204).send();
    },
  );

  api.post(
    '/v1/accounts/:provider/:account/resume',
    { schema: { summary: 'resume: clears pause, parking and strikes', params: accountParamsSchema, response: done } },
    async (request, reply) => {
      await client.resumeAccount(request.params.provider, request.params.account);
      return reply.code(204).send();
    },
  );

  api.put(
    '/v1/gewe/accounts/:appId',
    {
      schema: {
        summary: 'when a GeWe account came online (an unknown account counts as new)',
        params: z.object({ appId: z.string() }),
        body: onlineSinceSchema,
        response: { ...done, 204: noContent('saved') },
      },
    },
    async (request, reply) => {
      await client.setGeweAccount(request.params.appId, new Date(request.body.onlineSince));
      return reply.code(204).send();
    },
  );
}
