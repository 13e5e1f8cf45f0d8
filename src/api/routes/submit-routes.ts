import type { FastifyInstance } from 'fastify';
import type { FriendAddClient, TimRequest } from '../../client/friend-add-client.js';
import { parseQuery } from '../query.js';

export interface SubmitRouteOptions {
  client: FriendAddClient;
  /** Most bytes a submit's body may have: 100k TIM targets with every field full need ~50 MB. */
  bodyLimitBytes: number;
}

/**
 * The two submits: the body is validated by the library (the worker's own schemas and TIM's byte
 * limits), so a 400 names the field and index before anything reaches the queue. `?priority=N`
 * sets the jobs' BullMQ priority. Repeating a requestId with the same content adds nothing.
 */
export async function submitRoutes(app: FastifyInstance, options: SubmitRouteOptions): Promise<void> {
  const { client, bodyLimitBytes } = options;

  app.post('/v1/tim/friend-add', { bodyLimit: bodyLimitBytes }, async (request, reply) => {
    const { priority } = parseQuery(request.query);
    const submitted = await client.submitTim(request.body as TimRequest, { priority });
    request.log.info({ ...submitted, provider: 'tim' }, 'request submitted');
    return reply.code(202).send(submitted);
  });

  app.post('/v1/gewe/add-contacts', { bodyLimit: bodyLimitBytes }, async (request, reply) => {
    const { priority } = parseQuery(request.query);
    const submitted = await client.submitGewe(request.body, { priority });
    request.log.info({ ...submitted, provider: 'gewe' }, 'request submitted');
    return reply.code(202).send(submitted);
  });
}
