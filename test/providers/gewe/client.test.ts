import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../../src/domain/errors.js';
import { createHttpClient } from '../../../src/http/post-json.js';
import { secrets } from '../../../src/lib/secrets.js';
import { createGeweProvider, GEWE_ADD_CONTACTS_PATH } from '../../../src/providers/gewe/client.js';
import type { GeweJob } from '../../../src/providers/gewe/schema.js';
import { callProvider } from '../../../src/providers/provider.js';

const TOKEN = 'client-test-token-7f3a9c';
const job: GeweJob = { requestId: 'req-9', appId: 'wx_app_1', scene: 8, option: 2, v3: 'v3_abc@stranger', v4: 'v4_def@stranger', content: '你好' };

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A tiny real server: records what arrived and answers as `reply` says. */
let seen: Seen[] = [];
let reply: (res: http.ServerResponse) => void = (res) => res.end('{"ret":200,"msg":"操作成功","data":null}');
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  seen = [];
  reply = (res) => res.end('{"ret":200,"msg":"操作成功","data":null}');
});

const provider = (timeoutMs = 2000, url = baseUrl) => createGeweProvider({ baseUrl: url, token: TOKEN, http: createHttpClient(), timeoutMs });

describe('createGeweProvider', () => {
  it('prepares one call naming its one target', () => {
    const prepared = provider().prepare(job);
    expect(prepared).toMatchObject({
      targets: [job.v3],
      url: `${baseUrl}${GEWE_ADD_CONTACTS_PATH}`,
      appId: 'wx_app_1',
      option: 2,
      v3: job.v3,
    });
    expect(prepared.headers).toEqual({ 'X-GEWE-TOKEN': TOKEN });
  });

  it('POSTs the six fields, in the doc order, to the documented path with the token header', async () => {
    const p = provider();
    const answer = await p.send(p.prepare(job));
    expect(answer).toEqual({ status: 200, body: { ret: 200, msg: '操作成功', data: null } });
    expect(seen).toHaveLength(1);
    const call = seen[0]!;
    expect(call.method).toBe('POST');
    expect(call.url).toBe('/gewe/v2/api/contacts/addContacts');
    expect(call.headers['x-gewe-token']).toBe(TOKEN);
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.body).toBe('{"appId":"wx_app_1","scene":8,"option":2,"v3":"v3_abc@stranger","v4":"v4_def@stranger","content":"你好"}');
  });

  it('ignores a trailing slash on the base URL', async () => {
    const p = provider(2000, `${baseUrl}/`);
    await p.send(p.prepare(job));
    expect(seen[0]?.url).toBe(GEWE_ADD_CONTACTS_PATH);
  });

  it('classifies through the shared callProvider', async () => {
    const p = provider();
    const verdict = await callProvider(p, p.prepare({ ...job, option: 3, scene: 30, content: '' }));
    expect(verdict.targets).toEqual([{ target: job.v3, retryClass: 'final', outcome: 'added', code: 200, info: '操作成功', answered: true }]);
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ option: 3, scene: 30, content: '' });
  });

  it('registers the token with the scrubber', () => {
    provider();
    expect(secrets.scrub(`header ${TOKEN} here`)).toBe('header [REDACTED] here');
  });

  it('times out an add that never answers: final failed, token nowhere in the verdict', async () => {
    reply = () => {}; // never answers; afterAll closes the connection
    const p = provider(100);
    const verdict = await callProvider(p, p.prepare(job));
    expect(verdict.targets[0]).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 'unconfirmed' });
    expect(JSON.stringify(verdict)).not.toContain(TOKEN);
  });

  it('reports a refused connection as not sent, without the token in the error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const p = provider(2000, `http://127.0.0.1:${port}`);
    const err = await p.send(p.prepare(job)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).sent).toBe(false);
    expect(`${(err as Error).message} ${(err as Error).stack}`).not.toContain(TOKEN);
    expect(p.classify(p.prepare(job), err as TransportError).targets[0]?.retryClass).toBe('transient');
  });

  it('turns an HTML 502 into an unconfirmed add, and a transient accept', async () => {
    reply = (res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    };
    const p = provider();
    const add = await callProvider(p, p.prepare(job));
    expect(add.targets[0]).toMatchObject({ retryClass: 'final', outcome: 'failed', code: 'unconfirmed' });
    expect(add.targets[0]?.info).toMatch(/^HTTP 502 with an HTML body, \d+ bytes \(http_502\); the add may have been made/);
    const accept = await callProvider(p, p.prepare({ ...job, option: 3, scene: 6 }));
    expect(accept.targets[0]).toMatchObject({ retryClass: 'transient', code: 'http_502' });
  });

  it('opens a fresh connection for every call: no add meets a kept-alive socket the server closed', async () => {
    let connections = 0;
    const count = () => (connections += 1);
    server.on('connection', count);
    try {
      const p = provider();
      for (let i = 0; i < 3; i++) expect((await callProvider(p, p.prepare(job))).targets[0]?.outcome).toBe('requested');
      expect(connections).toBe(3);
    } finally {
      server.off('connection', count);
    }
  });

  it("reads GeWe's envelope inside a 500 by the table", async () => {
    reply = (res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ret: 500, msg: '添加好友失败', data: { code: '-2', msg: 'user ticket invalid' } }));
    };
    const p = provider();
    const verdict = await callProvider(p, p.prepare(job));
    expect(verdict.targets[0]).toMatchObject({ retryClass: 'final', outcome: 'refused', code: 500 });
    expect(verdict.effect).toBeUndefined();
  });
});
