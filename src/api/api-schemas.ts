import { z } from 'zod';
import { OUTCOMES } from '../domain/types.js';
import { timJobSchema } from '../providers/tim/schema.js';
import { geweJobSchema } from '../providers/gewe/schema.js';
import { MAX_PRIORITY } from '../client/submit-request.js';

/**
 * The zod schemas the routes declare (fastify-type-provider-zod): fastify validates params, query
 * strings and bodies with them before a handler runs, and @fastify/swagger turns them into the
 * OpenAPI document (src/api/openapi.ts). Schemas registered here with an `id` become components
 * of the document, referenced from every route that uses them (bodies as `<id>Input`).
 */
export const apiSchemas = z.registry<{ id?: string; description?: string }>();
// Descriptions are registered here too (`.register(apiSchemas, { description })`): zod's own
// `.describe()` writes to its global registry, which the transform to OpenAPI does not read.

/** Every error answer's body (src/api/error-replies.ts). */
export const errorReplySchema = z
  .object({
    error: z.string(),
    field: z
      .string()
      .optional()
      .register(apiSchemas, { description: 'the field at fault, e.g. `targets.12.remark`; `(body)` when the body could not be read' }),
    index: z.number().int().optional().register(apiSchemas, { description: "the target's (or GeWe item's) index in the list as submitted" }),
    requestId: z.string().optional(),
  })
  .register(apiSchemas, { id: 'Error', description: 'what went wrong, and for bad input the field at fault' });

/**
 * A documented JSON answer: its description and schema, in OpenAPI's response shape, which both
 * fastify (serializer per content type) and the transform to OpenAPI understand.
 */
export function answer<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

/** The error answers of the `/v1` routes, for `schema.response`. */
export const errorAnswers = {
  badInput: answer("bad input: the field at fault, and a target's index", errorReplySchema),
  unauthorized: answer('missing or wrong bearer token (when API_TOKEN is set)', errorReplySchema),
  unknownRequest: answer('unknown (or expired) request', errorReplySchema),
};

/** The answer to a submit or a retry. */
export const submittedSchema = z.object({
  requestId: z.string(),
  jobs: z.number().int().register(apiSchemas, { description: 'jobs the request was cut into (the same number when a submit is repeated)' }),
  targets: z.number().int().register(apiSchemas, { description: 'distinct targets across the request' }),
});
apiSchemas.add(submittedSchema, { id: 'Submitted' });

// The worker's own input schemas, as the document's components. The library validates with them.
apiSchemas.add(timJobSchema, { id: 'TimRequest' });
apiSchemas.add(geweJobSchema, { id: 'GeweItem' });

/** `{ requestId?, items }`: GeWe items under one requestId. */
export const geweEnvelopeSchema = z.object({
  requestId: z.string().min(1).max(200).optional(),
  items: z.array(geweJobSchema).min(1),
});

/** What `POST /v1/gewe/add-contacts` takes: one item, a list of items, or `{ requestId?, items }`. */
export const geweRequestSchema = z.union([geweJobSchema, geweEnvelopeSchema, z.array(geweJobSchema).min(1)]);
apiSchemas.add(geweRequestSchema, { id: 'GeweRequest' });

/** An integer from the query string. */
const queryInt = () => z.coerce.number().int();

export const priorityQuerySchema = z.object({
  priority: queryInt()
    .min(0)
    .max(MAX_PRIORITY)
    .optional()
    .register(apiSchemas, { description: 'BullMQ priority of the jobs: 1 most urgent, 2,097,151 least, 0 none; jobs without one go first' }),
});

export const pageQuerySchema = z.object({
  offset: queryInt().min(0).optional().register(apiSchemas, { description: 'first result of the page (default 0)' }),
  limit: queryInt().min(1).optional().register(apiSchemas, { description: 'results in the page (default 100; more than 1000 reads as 1000)' }),
});

export const requestIdParamsSchema = z.object({ requestId: z.string() });

export const targetResultSchema = z.object({
  target: z.string().register(apiSchemas, { description: 'the To_Account (TIM) or v3 (GeWe)' }),
  outcome: z.enum(OUTCOMES),
  code: z.union([z.number(), z.string()]).register(apiSchemas, { description: "the provider's code, or ours (invalid_input, timeout, ...)" }),
  info: z.string(),
  attempts: z.number().int(),
  finishedAt: z.string(),
  providerRequestId: z.string().optional().register(apiSchemas, { description: "TIM's RequestId of the call that gave the answer" }),
});
apiSchemas.add(targetResultSchema, { id: 'TargetResult' });

/**
 * `GET /v1/requests/{requestId}`. A response schema is what the answer holds: the serializer
 * checks these fields and drops any other, so a field the library adds is sent once it is here.
 */
export const requestStatusSchema = z.object({
  requestId: z.string(),
  provider: z.enum(['tim', 'gewe']).optional(),
  total: z.number().int().register(apiSchemas, { description: 'distinct targets counted into the request so far' }),
  open: z.number().int().register(apiSchemas, { description: 'targets without a final result yet' }),
  jobs: z.number().int(),
  totals: z.record(z.enum(OUTCOMES), z.number().int()).register(apiSchemas, { description: 'final results by outcome, every outcome named' }),
  confirmed: z.number().int().register(apiSchemas, { description: "targets a provider's callback has since confirmed (friends now)" }),
  cancelled: z.boolean(),
  submitted: z.boolean().register(apiSchemas, { description: 'library submits: every job is on the queue' }),
  createdAt: z.string().optional(),
  resultCount: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  results: z.array(targetResultSchema).register(apiSchemas, { description: "a page of the request's results, in the order they were recorded" }),
  pending: z
    .array(
      z.object({
        target: z.string(),
        attempts: z.number().int(),
        code: z.union([z.number(), z.string()]),
        info: z.string(),
        providerRequestId: z.string().optional(),
      }),
    )
    .register(apiSchemas, { description: 'open targets called at least once: attempts, last code and text' }),
});
apiSchemas.add(requestStatusSchema, { id: 'RequestStatus' });

/** An answer without a body (204). */
export const noContent = (description: string) => z.undefined().register(apiSchemas, { description });
