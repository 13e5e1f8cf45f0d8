import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call that passed through the proxy. */
export interface TappedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  startedAt: number;
  /** When the client's side of the call closed (answered, reset or given up). */
  endedAt?: number;
}

/**
 * A tiny HTTP proxy in front of a simulator: it records every call (to read what a worker sent,
 * such as the `usersig` query parameter), and can deliver the next answers' bodies slowly.
 */
export class TapProxy {
  readonly calls: TappedCall[] = [];
  url = '';
  private slow: { left: number; ms: number } = { left: 0, ms: 0 };
  private readonly server: Server;

  constructor(private readonly target: string) {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://proxy');
      const call: TappedCall = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, startedAt: Date.now() };
      this.calls.push(call);
      res.once('close', () => (call.endedAt = Date.now()));
      const slowMs = this.slow.left > 0 ? this.slow.ms : 0;
      if (slowMs > 0) this.slow.left--;
      const upstream = request(new URL(req.url ?? '/', this.target), { method: req.method, headers: req.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': body.length });
          if (slowMs === 0) return void res.end(body);
          const half = Math.floor(body.length / 2);
          res.write(body.subarray(0, half));
          setTimeout(() => !res.destroyed && res.end(body.subarray(half)), slowMs);
        });
      });
      upstream.on('error', () => res.destroy()); // the simulator reset or closed: so do we
      res.on('close', () => upstream.destroy()); // the client gave up: so does the simulator's call
      req.pipe(upstream);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next `count` answers send their headers and half the body at once, the rest after `ms`. */
  slowBodies(count: number, ms: number): void {
    this.slow = { left: count, ms };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
