import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.js';
import type { RedisClient } from '../../lib/redis-client.js';
import { CallbackKeys } from '../../callbacks/callback-keys.js';
import { listOpenIncoming } from '../../callbacks/incoming-requests.js';
import { AutoAcceptPolicies } from '../../callbacks/auto-accept-policy.js';
import { inputError } from '../../client/errors.js';

type WithAppId = { Params: { appId: string } };

/**
 * Incoming GeWe friend requests: the open ones of an account (accept or reject them with a `gewe`
 * job of option 3 or 4 naming the v3, v4 and scene), and the account's auto-accept policy.
 */
export async function geweRequestRoutes(app: FastifyInstance, options: { config: Config; redis: RedisClient }): Promise<void> {
  const keys = new CallbackKeys(options.config.queuePrefix);
  const policies = new AutoAcceptPolicies(options.redis, keys, options.config.gewe.autoAccept);

  app.get<WithAppId>('/v1/gewe/accounts/:appId/friend-requests', async (request) => {
    const { appId } = request.params;
    const [requests, policy] = await Promise.all([listOpenIncoming({ redis: options.redis, keys }, appId), policies.get(appId)]);
    return { appId, autoAccept: policy, requests };
  });

  app.put<WithAppId>('/v1/gewe/accounts/:appId/auto-accept', async (request, reply) => {
    const body = request.body as { policy?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || !('policy' in body)) throw inputError(['policy'], 'policy is required: off, all, or match:<regex>');
    await policies.set(request.params.appId, body.policy);
    return reply.code(204).send();
  });
}
