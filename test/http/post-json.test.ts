import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, postJson } from '../../src/http/post-json.js';
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

  it('never reports a request that could not be sent', async () => {
    const sent: number[] = [];
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(postJson(client, deadUrl, '{}', { timeoutMs: 2000, onSent: (at) => sent.push(at) })).rejects.toMatchObject({ code: 'network' });
    expect(sent).toEqual([]);
  });
});
