import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, TransportError } from '../../../src/domain/errors.js';
import { createHttpClient } from '../../../src/http/post-json.js';
import { callProvider } from '../../../src/providers/provider.js';
import { createTimProvider, type TimProvider } from '../../../src/providers/tim/client.js';
import type { TimJob } from '../../../src/providers/tim/schema.js';
import { UserSigCache } from '../../../src/providers/tim/usersig.js';

interface Seen {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  contentType?: string;
}

/** A real TIM stand-in on loopback: it records each request and answers with `reply`. */
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let reply: (req: IncomingMessage, res: import('node:http').ServerResponse, body: Record<string, unknown>) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req
      .setEncoding('utf8')
      .on('data', (c: string) => (raw += c))
      .on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const body = JSON.parse(raw) as Record<string, unknown>;
        seen.push({ path: url.pathname, query: url.searchParams, body, contentType: req.headers['content-type'] });
        reply(req, res, body);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const okReply: typeof reply = (_req, res, body) => {
  const items = (body.AddFriendItem as Array<{ To_Account: string }>).map((i) => ({ To_Account: i.To_Account, ResultCode: 0, ResultInfo: '' }));
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', RequestId: 'Id-1', ResultItem: items, Fail_Account: [], Invalid_Account: [] }));
};

const userSig = new UserSigCache({ sdkAppId: 1400000001, secretKey: 'test-secret-key-0123456789', identifier: 'administrator' });
const http = createHttpClient();
const provider = (random?: () => number, timeoutMs = 2000): TimProvider =>
  createTimProvider({ baseUrl, sdkAppId: 1400000001, admin: 'administrator', userSig, http, timeoutMs, random });

const job: TimJob = { fromAccount: 'alice', targets: [] };
const full = { toAccount: 'bob', addSource: 'AddSource_Type_Web', remark: '备注', groupName: '同学', addWording: 'hi' };
const bare = { toAccount: 'carol', addSource: 'AddSource_Type_Android' };

beforeEach(() => {
  seen = [];
  reply = okReply;
});

describe('TIM client', () => {
  it('sends the URL query TIM expects', async () => {
    const p = provider();
    const verdict = await callProvider(p, p.prepare(job, [bare]));
    expect(verdict.targets[0]).toMatchObject({ target: 'carol', outcome: 'added', code: 0 });
    expect(verdict.providerRequestId).toBe('Id-1');
    const [req] = seen;
    expect(req?.path).toBe('/v4/sns/friend_add');
    expect(req?.contentType).toBe('application/json');
    expect(req?.query.get('sdkappid')).toBe('1400000001');
    expect(req?.query.get('identifier')).toBe('administrator');
    expect(req?.query.get('usersig')).toBe(userSig.get());
    expect(req?.query.get('contenttype')).toBe('json');
    const random = Number(req?.query.get('random'));
    expect(Number.isInteger(random) && random >= 0 && random <= 2 ** 32 - 1).toBe(true);
  });

  it('draws random fresh per call, over the whole 32-bit range', () => {
    const draws = [0, 0.5, 0.9999999999999999];
    const p = provider(() => draws.shift() ?? 0);
    const randoms = [1, 2, 3].map(() => new URL(p.prepare(job, [bare]).url).searchParams.get('random'));
    expect(randoms).toEqual(['0', String(2 ** 31), String(2 ** 32 - 1)]);
  });

  it('sends every field given, and leaves out the absent ones', async () => {
    const p = provider();
    const prepared = p.prepare({ ...job, addType: 'Add_Type_Single', forceAdd: true }, [full, bare]);
    expect(prepared).toMatchObject({ targets: ['bob', 'carol'], fromAccount: 'alice' });
    await p.send(prepared);
    expect(seen[0]?.body).toEqual({
      From_Account: 'alice',
      AddFriendItem: [
        { To_Account: 'bob', AddSource: 'AddSource_Type_Web', Remark: '备注', GroupName: '同学', AddWording: 'hi' },
        { To_Account: 'carol', AddSource: 'AddSource_Type_Android' },
      ],
      AddType: 'Add_Type_Single',
      ForceAddFlags: 1,
    });
  });

  it('omits AddType and ForceAddFlags when the job does not set them; forceAdd false sends 0', async () => {
    const p = provider();
    await p.send(p.prepare(job, [bare]));
    await p.send(p.prepare({ ...job, forceAdd: false }, [bare]));
    expect(seen[0]?.body).toEqual({ From_Account: 'alice', AddFriendItem: [{ To_Account: 'carol', AddSource: 'AddSource_Type_Android' }] });
    expect(seen[1]?.body.ForceAddFlags).toBe(0);
    expect(seen[1]?.body).not.toHaveProperty('AddType');
  });

  it('turns a 502 into a transient verdict without the UserSig anywhere in it', async () => {
    reply = (_req, res) => {
      res.statusCode = 502;
      res.end('<html>bad gateway</html>');
    };
    const p = provider();
    const prepared = p.prepare(job, [bare]);
    await expect(p.send(prepared)).rejects.toBeInstanceOf(TransportError);
    const verdict = await callProvider(p, prepared);
    expect(verdict.targets[0]).toMatchObject({ retryClass: 'transient', code: 'http_502', answered: true });
    expect(JSON.stringify(verdict)).not.toContain(userSig.get());
  });

  it('turns a timeout into a transient verdict without the URL in it', async () => {
    reply = () => undefined; // never answers
    const p = provider(undefined, 200);
    const verdict = await callProvider(p, p.prepare(job, [bare]));
    expect(verdict.targets[0]).toMatchObject({ retryClass: 'transient', code: 'timeout' });
    expect(JSON.stringify(verdict)).not.toContain('usersig');
  });

  it('refuses a job for another SDKAppID, and calls of 0 or more than 1000 targets', () => {
    const p = provider();
    expect(() => p.prepare({ ...job, sdkAppId: 1400000002 }, [bare])).toThrow(InvalidInputError);
    expect(() => p.prepare(job, [])).toThrow(RangeError);
    const many = Array.from({ length: 1001 }, (_, i) => ({ toAccount: `u${i}`, addSource: 'AddSource_Type_Web' }));
    expect(() => p.prepare(job, many)).toThrow(RangeError);
    expect(p.prepare(job, many.slice(0, 1000)).targets).toHaveLength(1000);
  });
});

describe('TIM client warm-up', () => {
  it('posts {} to the origin root, never to the API, and ignores what comes back', async () => {
    reply = (_req, res) => res.writeHead(404).end('<html>not here</html>');
    await provider().warmUp();
    expect(seen.map((s) => s.path)).toEqual(['/']);
    expect(seen[0]?.query.get('usersig')).toBeNull();
  });

  it('never throws when TIM cannot be reached', async () => {
    const down = createTimProvider({ baseUrl: 'http://127.0.0.1:1', sdkAppId: 1400000001, admin: 'administrator', userSig, http, timeoutMs: 2000 });
    await expect(down.warmUp()).resolves.toBeUndefined();
  });
});
