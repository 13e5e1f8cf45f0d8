import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/domain/errors.js';
import { createHttpClient, postJson } from '../../src/http/post-json.js';
import { SendTrace } from '../../src/http/send-trace.js';
import { preciseNow } from '../../src/lib/precise-now.js';

describe('postJson: when the request left', () => {
  let server: Server;
  let url = '';
  const arrivals: number[] = [];
  const client = createHttpClient();

  beforeAll(async () => {
    server = createServer((req, res) => {
      arrivals.push(preciseNow());
      req.resume();
      req.on('end', () => res.setHeader('content-type', 'application/json').end('{"ok":true}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reports once that the whole request went to the socket, between the call and its arrival', async () => {
    const sent: number[] = [];
    const before = preciseNow();
    const answer = await postJson(client, url, JSON.stringify({ items: 'x'.repeat(200_000) }), { timeoutMs: 5000, onSent: (at) => sent.push(at) });
    expect(answer.body).toEqual({ ok: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeGreaterThanOrEqual(before);
    // Handed to the kernel before this process's server could read it.
    expect(sent[0]).toBeLessThanOrEqual(arrivals.at(-1)!);
  });

  it('reports when the answer came, after the request arrived and before the body was read', async () => {
    const answered: number[] = [];
    const answer = await postJson(client, url, '{}', { timeoutMs: 5000, onAnswered: (at) => answered.push(at) });
    const after = preciseNow();
    expect(answer.body).toEqual({ ok: true });
    expect(answered).toHaveLength(1);
    expect(answered[0]).toBeGreaterThanOrEqual(arrivals.at(-1)!);
    expect(answered[0]).toBeLessThanOrEqual(after);
  });

  it('never reports a request that could not be sent, nor an answer that never came', async () => {
    const sent: number[] = [];
    const answered: number[] = [];
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const hooks = { timeoutMs: 2000, onSent: (at: number) => sent.push(at), onAnswered: (at: number) => answered.push(at) };
    await expect(postJson(client, deadUrl, '{}', hooks)).rejects.toMatchObject({ code: 'network' });
    expect(sent).toEqual([]);
    expect(answered).toEqual([]);
  });
});

describe('postJson: answers whatever their status, when the body is JSON', () => {
  let server: Server;
  let url = '';
  let reply: (res: import('node:http').ServerResponse) => void = () => undefined;
  const client = createHttpClient();

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => reply(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const answer = (status: number, type: string, text: string) => (res: import('node:http').ServerResponse) =>
    res.writeHead(status, { 'content-type': type }).end(text);

  it.each([500, 502, 503, 504])('returns a JSON body sent with HTTP %i, for the provider to classify', async (status) => {
    reply = answer(status, 'application/json', '{"ret":500,"msg":"添加好友失败","data":{"code":"-2","msg":"user ticket invalid"}}');
    await expect(postJson(client, url, '{}', { timeoutMs: 2000 })).resolves.toEqual({
      status,
      body: { ret: 500, msg: '添加好友失败', data: { code: '-2', msg: 'user ticket invalid' } },
    });
  });

  it.each([
    [504, 'text/html', '<html><head><title>504 Gateway Time-out</title></head></html>', /^HTTP 504 with an HTML body, \d+ bytes$/],
    [502, 'text/plain', 'upstream connect error', /^HTTP 502 with a body that is not JSON, 22 bytes$/],
    [503, 'text/plain', '', /^HTTP 503 with an empty body$/],
  ])('throws http_%i, sent, for a 5xx whose body is not JSON', async (status, type, text, message) => {
    reply = answer(status, type, text);
    const err = await postJson(client, url, '{}', { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ code: `http_${status}`, sent: true });
    expect((err as Error).message).toMatch(message);
  });

  it('throws bad_response for a 2xx or 4xx body that is not JSON', async () => {
    for (const status of [200, 404]) {
      reply = answer(status, 'text/html', '<html>nope</html>');
      await expect(postJson(client, url, '{}', { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'bad_response', sent: true });
    }
  });
});

describe('postJson: whether a failed request may have left this process', () => {
  let server: Server;
  let url = '';
  let connections = 0;
  let onRequest: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void = () => undefined;
  const client = createHttpClient();

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => onRequest(req, res));
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const fail = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable('it answered'),
      (e: unknown) => e as TransportError,
    );

  it('connection refused: not sent', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await fail(postJson(client, deadUrl, '{"a":1}', { timeoutMs: 2000 }));
    expect(err).toMatchObject({ code: 'network', sent: false, message: 'network: ECONNREFUSED before any byte was sent' });
  });

  it('a name that does not resolve: not sent, though the body waited in the socket', async () => {
    const err = await fail(postJson(client, 'http://no-such-host.invalid/', '{"a":1}', { timeoutMs: 5000 }));
    expect(err).toMatchObject({ code: 'network', sent: false });
    expect(err.message).toMatch(/^network: (ENOTFOUND|EAI_AGAIN) before any byte was sent$/);
  });

  it('a reset after the provider read the request: may have left', async () => {
    onRequest = (req) => req.socket.destroy();
    const err = await fail(postJson(client, url, '{"a":1}', { timeoutMs: 2000 }));
    expect(err).toMatchObject({ code: 'network', sent: true });
  });

  it('a reset on a reused keep-alive socket, after the request went out: may have left', async () => {
    onRequest = (_req, res) => res.setHeader('content-type', 'application/json').end('{"ok":true}');
    await postJson(client, url, '{"a":1}', { timeoutMs: 2000 });
    const before = connections;
    onRequest = (req) => req.socket.destroy();
    const err = await fail(postJson(client, url, '{"a":2}', { timeoutMs: 2000 }));
    expect(connections).toBe(before); // the same socket carried it
    expect(err).toMatchObject({ code: 'network', sent: true });
  });

  it('a timeout after the request went out: may have left', async () => {
    onRequest = () => undefined;
    const err = await fail(postJson(client, url, '{"a":1}', { timeoutMs: 200 }));
    expect(err).toMatchObject({ code: 'timeout', sent: true, message: 'timed out' });
  });

  it('the job’s signal aborting a call in flight: aborted, not timed out, and may have left', async () => {
    onRequest = () => undefined;
    const job = new AbortController();
    setTimeout(() => job.abort(new Error('worker closing')), 100);
    const err = await fail(postJson(client, url, '{"a":1}', { timeoutMs: 5000, signal: job.signal }));
    expect(err).toMatchObject({ code: 'network', sent: true, message: 'aborted' });
  });

  it('leaves no timer pending and no listener on the job’s signal once the call ended', async () => {
    onRequest = (_req, res) => res.setHeader('content-type', 'application/json').end('{"ok":true}');
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const job = new AbortController();
    const before = timers();
    await postJson(client, url, '{"a":1}', { timeoutMs: 60_000, signal: job.signal });
    await expect(fail(postJson(client, url, '{"a":1}', { timeoutMs: 60_000, signal: AbortSignal.abort() }))).resolves.toMatchObject({ sent: false });
    expect(timers()).toBe(before);
    expect(getEventListeners(job.signal, 'abort')).toHaveLength(0);
  });

  it('aborted before a socket was given: not sent', async () => {
    const aborted = AbortSignal.abort();
    const err = await fail(postJson(client, url, '{"a":1}', { timeoutMs: 2000, signal: aborted }));
    expect(err).toMatchObject({ sent: false });
  });
});

describe('SendTrace: counts from the socket as it was given, so a reused socket is judged right', () => {
  const socket = (dispatched: number) => ({ _bytesDispatched: dispatched, bytesWritten: dispatched + 50 }) as unknown as Socket;

  it('no socket: nothing left', () => expect(new SendTrace().mayHaveLeft()).toBe(false));

  it('a reused socket that carried earlier requests and nothing of this one: nothing left', () => {
    const s = socket(4096);
    const trace = new SendTrace();
    trace.assigned(s);
    expect(trace.mayHaveLeft()).toBe(false);
    (s as unknown as { _bytesDispatched: number })._bytesDispatched = 4097;
    expect(trace.mayHaveLeft()).toBe(true);
  });

  it('without Node\'s own counter it errs towards "may have left"', () => {
    const trace = new SendTrace();
    trace.assigned({ bytesWritten: undefined } as unknown as Socket);
    expect(trace.mayHaveLeft()).toBe(true);
  });
});
