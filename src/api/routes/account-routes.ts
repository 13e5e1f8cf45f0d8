import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FriendAddClient } from '../../client/friend-add-client.js';
import type { ProviderName } from '../../domain/types.js';
import { inputError } from '../../client/errors.js';

const onlineSinceSchema = z.object({
  onlineSince: z.iso.datetime({ offset: true, error: 'onlineSince must be an ISO 8601 time, e.g. 2026-01-01T08:00:00Z' }),
});

/** Operating accounts: pause and resume (TIM From_Account or GeWe appId), and GeWe's online time. */
export async function accountRoutes(app: FastifyInstance, options: { client: FriendAddClient }): Promise<void> {
  const { client } = options;
  type AccountParams = { Params: { provider: string; account: string } };

  app.post<AccountParams>('/v1/accounts/:provider/:account/pause', async (request, reply) => {
    await client.pauseAccount(request.params.provider as ProviderName, request.params.account);
    return reply.code(204).send();
  });

  app.post<AccountParams>('/v1/accounts/:provider/:account/resume', async (request, reply) => {
    await client.resumeAccount(request.params.provider as ProviderName, request.params.account);
    return reply.code(204).send();
  });

  app.put<{ Params: { appId: string } }>('/v1/gewe/accounts/:appId', async (request, reply) => {
    const parsed = onlineSinceSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw inputError(issue.path, issue.message);
    }
    await client.setGeweAccount(request.params.appId, new Date(parsed.data.onlineSince));
    return reply.code(204).send();
  });
}
