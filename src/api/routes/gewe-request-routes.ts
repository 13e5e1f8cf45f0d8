import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { RedisClient } from '../../lib/redis-client.js';
import { CallbackKeys } from '../../callbacks/callback-keys.js';
import { listOpenIncoming } from '../../callbacks/incoming-requests.js';
import { AutoAcceptPolicies } from '../../callbacks/auto-accept-policy.js';
import { answer, apiSchemas, errorAnswers, noContent } from '../api-schemas.js';

const appIdParams = z.object({ appId: z.string() });
const POLICY = 'off, all, or match:<regex> (on the greeting)';

/** The answer's shape: the serializer checks these fields and sends no other (add a new one here). */
const incomingRequestSchema = z.object({
  appId: z.string(),
  v3: z.string(),
  v4: z.string(),
  scene: z.number().int(),
  greeting: z.string(),
  fromUserName: z.string().optional(),
  nickname: z.string().optional(),
  receivedAt: z.string(),
  autoAccept: z.boolean().register(apiSchemas, { description: 'the policy queued an accept (option 3) for it' }),
  acceptRequestId: z.string().optional().register(apiSchemas, { description: 'the requestId of the accept the policy queued' }),
});

/**
 * Incoming GeWe friend requests: the open ones of an account (accept or reject them with a `gewe`
 * job of option 3 or 4 naming the v3, v4 and scene), and the account's auto-accept policy.
 */
export async function geweRequestRoutes(app: FastifyInstance, options: { config: Config; redis: RedisClient }): Promise<void> {
  const keys = new CallbackKeys(options.config.queuePrefix);
  const policies = new AutoAcceptPolicies(options.redis, keys, options.config.gewe.autoAccept);
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/gewe/accounts/:appId/friend-requests',
    {
      schema: {
        summary: 'incoming friend requests not yet accepted or rejected, and the auto-accept policy',
        description: 'Accept or reject one with a `gewe` item of option 3 or 4 naming its v3, v4 and scene.',
        params: appIdParams,
        response: {
          200: answer(
            'the open requests, oldest first (at most 1000)',
            z.object({ appId: z.string(), autoAccept: z.string().register(apiSchemas, { description: POLICY }), requests: z.array(incomingRequestSchema) }),
          ),
          401: errorAnswers.unauthorized,
        },
      },
    },
    async (request) => {
      const { appId } = request.params;
      const [requests, policy] = await Promise.all([listOpenIncoming({ redis: options.redis, keys }, appId), policies.get(appId)]);
      return { appId, autoAccept: policy, requests };
    },
  );

  api.put(
    '/v1/gewe/accounts/:appId/auto-accept',
    {
      schema: {
        summary: "the account's auto-accept policy for incoming friend requests",
        params: appIdParams,
        body: z.object({ policy: z.string({ error: `policy is required: ${POLICY}` }).register(apiSchemas, { description: POLICY }) }),
        response: { 204: noContent('saved'), 400: errorAnswers.badInput, 401: errorAnswers.unauthorized },
      },
    },
    async (request, reply) => {
      await policies.set(request.params.appId, request.body.policy);
      return reply.code(204).send();
    },
  );
}
