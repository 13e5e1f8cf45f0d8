import { z } from 'zod';
import { timJobSchema } from '../providers/tim/schema.js';
import { geweJobSchema } from '../providers/gewe/schema.js';
import { callbackPaths } from './openapi-callbacks.js';

/** A component schema: JSON Schema from zod, without the `$schema` line each document would repeat. */
function schema(s: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
  return rest;
}
const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const answer = (description: string, ref?: string) => (ref ? { description, content: json(ref) } : { description });
const requestIdParam = { name: 'requestId', in: 'path', required: true, schema: { type: 'string' } };
const errors = { 400: answer('bad input: the field at fault, and a target\'s index', 'Error'), 401: answer('missing or wrong bearer token', 'Error') };

/**
 * The producer API as OpenAPI 3.1, its bodies from the same zod schemas the worker uses. Byte
 * limits and cross-field rules (TIM's UTF-8 limits, GeWe's scene for option 2) are checked by the
 * server and answered 400 with the field; JSON Schema cannot say them all.
 */
export function buildOpenApiDocument(version: string) {
  const gewe = schema(geweJobSchema);
  return {
    openapi: '3.1.0',
    info: { title: 'friend-add-queue producer API', version },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        TimRequest: schema(timJobSchema),
        GeweItem: gewe,
        GeweRequest: { oneOf: [gewe, { type: 'object', required: ['items'], properties: { requestId: { type: 'string', minLength: 1, maxLength: 200 }, items: { type: 'array', minItems: 1, items: gewe } } }] },
        Submitted: { type: 'object', properties: { requestId: { type: 'string' }, jobs: { type: 'integer' }, targets: { type: 'integer' } } },
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' }, field: { type: 'string' }, index: { type: 'integer' }, requestId: { type: 'string' } } },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/tim/friend-add': { post: submit('TimRequest', 'a TIM request: any number of targets, de-duplicated and cut into jobs of 1000') },
      '/v1/gewe/add-contacts': { post: submit('GeweRequest', 'one GeWe item, or { requestId?, items }') },
      '/v1/requests/{requestId}': {
        get: {
          summary: 'totals by outcome, open targets, a page of results, and called targets still open',
          parameters: [requestIdParam, queryInt('offset'), queryInt('limit')],
          responses: { 200: { description: 'the request\'s status' }, 404: answer('unknown request', 'Error'), 401: errors[401] },
        },
      },
      '/v1/requests/{requestId}/cancel': { post: action('targets not yet called end cancelled', { 202: answer('cancelled') }) },
      '/v1/requests/{requestId}/retry-failed': {
        post: action('a new request with the failed targets', { 202: answer('submitted', 'Submitted'), 200: answer('nothing failed: requestId null') }),
      },
      '/v1/accounts': {
        get: {
          summary: 'accounts by state (resting, locked, paused, parked, unregistered), a page at a time; an account in two states is listed in each',
          parameters: [
            { name: 'provider', in: 'query', required: false, schema: { type: 'string', enum: ['tim', 'gewe'] } },
            { name: 'state', in: 'query', required: false, schema: { type: 'string', enum: ['resting', 'locked', 'paused', 'parked', 'unregistered'] } },
            queryInt('offset'),
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          ],
          responses: { 200: answer('{ total, offset, limit, nextOffset, accounts: [{ provider, account, state, until | since }] }'), ...errors },
        },
      },
      '/v1/accounts/{provider}/{account}': {
        get: {
          summary: "the account's state: lease, rest or lockout and until when, strikes, paused/parked and why, disabled; GeWe: tier, today's caps used, each lane's next slot",
          parameters: accountAction('').parameters,
          responses: { 200: answer('the account (an account nobody touched reads as free)'), ...errors },
        },
      },
      '/v1/accounts/{provider}/{account}/pause': { post: accountAction('pause: its jobs wait, holding no worker slot') },
      '/v1/accounts/{provider}/{account}/resume': { post: accountAction('resume: clears pause, parking and strikes') },
      '/v1/gewe/accounts/{appId}': {
        put: {
          summary: 'when a GeWe account came online (an unknown account counts as new)',
          parameters: [{ name: 'appId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['onlineSince'], properties: { onlineSince: { type: 'string', format: 'date-time' } } } } } },
          responses: { 204: answer('saved'), ...errors },
        },
      },
      '/v1/providers': {
        get: { summary: 'each provider: enabled, workers seen, credential suspended (why, next probe), TIM rate now', responses: { 200: answer('the providers'), ...errors } },
      },
      '/healthz': { get: { summary: 'liveness', security: [], responses: { 200: answer('the process answers') } } },
      '/readyz': { get: { summary: 'readiness', security: [], responses: { 200: answer('Redis answers; `providers` says ok, suspended or disabled for each'), 503: answer('Redis does not answer') } } },
      ...callbackPaths(),
    },
  };
}

function submit(ref: string, summary: string) {
  return {
    summary,
    parameters: [queryInt('priority', 'BullMQ priority of the jobs: 1 most urgent; jobs without one go first')],
    requestBody: { required: true, content: json(ref) },
    responses: { 202: answer('accepted (also when the same requestId and content were accepted before)', 'Submitted'), 409: answer('the requestId was used with other content', 'Error'), ...errors },
  };
}

function action(summary: string, responses: Record<number, unknown>) {
  return { summary, parameters: [requestIdParam], responses: { ...responses, 404: answer('unknown request', 'Error'), 401: errors[401] } };
}

function accountAction(summary: string) {
  const path = (name: string, values?: string[]) => ({ name, in: 'path', required: true, schema: values ? { type: 'string', enum: values } : { type: 'string' } });
  return { summary, parameters: [path('provider', ['tim', 'gewe']), path('account')], responses: { 204: answer('done'), ...errors } };
}

function queryInt(name: string, description?: string) {
  return { name, in: 'query', required: false, schema: { type: 'integer', minimum: 0 }, ...(description ? { description } : {}) };
}
