import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FriendAddClient } from '../../client/friend-add-client.js';
import { timJobSchema } from '../../providers/tim/schema.js';
import { answer, errorAnswers, errorReplySchema, geweRequestSchema, priorityQuerySchema, submittedSchema } from '../api-schemas.js';
import { documentAs } from '../openapi.js';

export interface SubmitRouteOptions {
  client: FriendAddClient;
  /** Most bytes a submit's body may have: 100k TIM targets with every field full need ~50 MB. */
  bodyLimitBytes: number;
}

/**
 * What fastify checks of a GeWe submit's body before the handler: that it is an object or a list.
 * The item schema goes deeper in the library (prepareGewe), which names `items.N.field` with the
 * item's index, or `field` for a single item; a union of the three shapes checked here would
 * report a failing body as "no branch matched" instead. The document shows the full union.
 */
const geweBodyEnvelope = z.union([z.array(z.unknown()), z.looseObject({})], {
  error: 'the body must be a GeWe item, a list of items, or { requestId?, items }',
});

const submitted = {
  202: answer('accepted (also when the same requestId and content were accepted before)', submittedSchema),
  400: errorAnswers.badInput,
  401: errorAnswers.unauthorized,
  409: answer('the requestId was used with other content: field `requestId`', errorReplySchema),
};

/**
 * The two submits. The TIM body is checked by fastify with the worker's own schema (a 100k-target
 * body costs ~0.1 s more than the library's check alone, within the submit's time), then by the
 * library (the same schema and TIM's byte limits), so a 400 names the field and index before
 * anything reaches the queue. `?priority=N` sets the jobs' BullMQ priority. Repeating a requestId
 * with the same content adds nothing.
 */
export async function submitRoutes(app: FastifyInstance, options: SubmitRouteOptions): Promise<void> {
  const { client, bodyLimitBytes } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/v1/tim/friend-add',
    {
      bodyLimit: bodyLimitBytes,
      schema: {
        summary: 'a TIM request: any number of targets, de-duplicated and cut into jobs of 1000',
        description: "Targets over TIM's UTF-8 byte limits (toAccount 32, remark 96, addWording 256, groupName 1-30) are refused 400 with their index.",
        querystring: priorityQuerySchema,
        body: timJobSchema,
        response: submitted,
      },
    },
    async (request, reply) => {
      const submitted = await client.submitTim(request.body, { priority: request.query.priority });
      request.log.info({ ...submitted, provider: 'tim' }, 'request submitted');
      return reply.code(202).send(submitted);
    },
  );

  api.post(
    '/v1/gewe/add-contacts',
    {
      bodyLimit: bodyLimitBytes,
      schema: {
        summary: 'one GeWe item, a list of items, or { requestId?, items }: one addContacts call per item',
        description: 'For option 2 (add), scene is 3, 4, 8 or 15 and content must not be empty; the server checks both.',
        querystring: priorityQuerySchema,
        body: geweBodyEnvelope,
        response: submitted,
      },
      config: documentAs({ body: geweRequestSchema }),
    },
    async (request, reply) => {
      const submitted = await client.submitGewe(request.body, { priority: request.query.priority });
      request.log.info({ ...submitted, provider: 'gewe' }, 'request submitted');
      return reply.code(202).send(submitted);
    },
  );
}
