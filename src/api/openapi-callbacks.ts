/** The OpenAPI paths of the provider callbacks and the GeWe friend-request routes (docs/callbacks.md). */
export function callbackPaths() {
  const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });
  const envelope = json({
    type: 'object',
    required: ['ActionStatus', 'ErrorCode', 'ErrorInfo'],
    properties: { ActionStatus: { enum: ['OK', 'FAIL'] }, ErrorCode: { enum: [0, 1] }, ErrorInfo: { type: 'string' } },
  });
  const error = json({ $ref: '#/components/schemas/Error' });
  const query = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });
  const appId = { name: 'appId', in: 'path', required: true, schema: { type: 'string' } };
  return {
    '/v1/callbacks/tim': {
      post: {
        summary: 'TIM third-party callbacks (Sns.CallbackFriendAdd confirms requested targets); no API token',
        security: [],
        parameters: [
          query('SdkAppid', 'must be TIM_SDKAPPID'),
          query('RequestTime', 'unix seconds; with TIM_CALLBACK_TOKEN'),
          query('Sign', 'hex SHA-256 of the token and RequestTime; with TIM_CALLBACK_TOKEN'),
        ],
        requestBody: { required: true, content: json({ type: 'object' }) },
        responses: {
          200: { description: 'ErrorCode 0 once stored; 1 for a body that does not read (nothing stored)', content: envelope },
          401: { description: 'a foreign SdkAppid, or a missing, wrong or stale Sign', content: envelope },
          503: { description: 'Redis did not store it in time: not acknowledged', content: envelope },
        },
      },
    },
    '/v1/callbacks/gewe/{secret}': {
      post: {
        summary: 'GeWe callback messages (ModContacts confirms adds; AddMsg 37 is an incoming friend request); no API token',
        security: [],
        parameters: [{ name: 'secret', in: 'path', required: true, schema: { type: 'string' }, description: 'GEWE_CALLBACK_SECRET' }],
        requestBody: { required: true, content: json({ type: 'object', required: ['TypeName', 'Appid'] }) },
        responses: {
          200: { description: 'stored (or a repeat, or kept for diagnosis)' },
          400: { description: 'a body that does not read; nothing stored', content: error },
          404: { description: 'a wrong or missing secret', content: error },
          413: { description: 'a body over 2 MB', content: error },
          503: { description: 'Redis did not store it in time: not acknowledged', content: error },
        },
      },
    },
    '/v1/gewe/accounts/{appId}/friend-requests': {
      get: { summary: 'incoming friend requests not yet accepted or rejected, and the auto-accept policy', parameters: [appId], responses: { 200: { description: '{appId, autoAccept, requests}' } } },
    },
    '/v1/gewe/accounts/{appId}/auto-accept': {
      put: {
        summary: 'the account\'s auto-accept policy',
        parameters: [appId],
        requestBody: { required: true, content: json({ type: 'object', required: ['policy'], properties: { policy: { type: 'string', description: 'off, all, or match:<regex>' } } }) },
        responses: { 204: { description: 'saved' }, 400: { description: 'not a policy', content: error } },
      },
    },
  };
}
