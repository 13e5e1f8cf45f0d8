import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/http/post-json.js';
import { callProvider } from '../../../src/providers/provider.js';
import { createTimProvider } from '../../../src/providers/tim/client.js';
import { UserSigCache } from '../../../src/providers/tim/usersig.js';

/** A 5xx is read, not thrown away: a TIM envelope inside it is classified by TIM's own table. */
describe('TIM answers inside a 5xx', () => {
  let server: Server;
  let baseUrl = '';
  let reply: (res: ServerResponse) => void = () => undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => reply(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const userSig = new UserSigCache({ sdkAppId: 1400000001, secretKey: 'test-secret-key-0123456789', identifier: 'administrator' });
  const http = createHttpClient();
  const call = () => {
    const provider = createTimProvider({ baseUrl, sdkAppId: 1400000001, admin: 'administrator', userSig, http, timeoutMs: 2000 });
    return callProvider(provider, provider.prepare({ fromAccount: 'alice', targets: [] }, [{ toAccount: 'bob', addSource: 'AddSource_Type_Web' }]));
  };
  const json = (status: number, body: unknown) => (res: ServerResponse) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  it('60007 in a 500 is rate_limited by the table, not a transient http_500', async () => {
    reply = json(500, { ActionStatus: 'FAIL', ErrorCode: 60007, ErrorInfo: 'REST API call frequency exceeds the limit', RequestId: 'Id-5xx' });
    const verdict = await call();
    expect(verdict).toMatchObject({ effect: 'rate_limited', callCode: 60007, providerRequestId: 'Id-5xx' });
    expect(verdict.targets[0]).toMatchObject({ target: 'bob', retryClass: 'rate_limited', code: 60007, answered: false });
  });

  it('a final TIM code in a 503 ends the target as the table says', async () => {
    reply = json(503, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', ResultItem: [{ To_Account: 'bob', ResultCode: 30520, ResultInfo: '' }] });
    expect((await call()).targets[0]).toMatchObject({ retryClass: 'final', outcome: 'already_friends', code: 30520 });
  });

  it("JSON that is not TIM's in a 502 stays a transient http_502", async () => {
    reply = json(502, { message: 'upstream unavailable' });
    expect((await call()).targets[0]).toMatchObject({ retryClass: 'transient', code: 'http_502', answered: true });
  });
});
