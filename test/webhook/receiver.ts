import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../src/webhook/signature.js';

export interface Delivery {
  resultJobId: string;
  timestamp: string;
  signature: string;
  rawBody: string;
  body: { resultJobId: string; requestId: string; provider: string; account: string; results: { target: string; outcome: string }[] };
  /** What the receiver answered. */
  status: number;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/**
 * A receiver as a customer would write it: reads the raw body, verifies the signature with the
 * exported helper (401 when it fails), and answers `failFirst` POSTs with 500 before accepting.
 */
export async function startReceiver(secret: string, options: { failFirst?: number } = {}) {
  const deliveries: Delivery[] = [];
  let posts = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-friendadd-timestamp'] ?? '');
      const signature = String(req.headers['x-friendadd-signature'] ?? '');
      posts += 1;
      let status = 200;
      if (!verifyWebhookSignature(secret, timestamp, rawBody, signature)) status = 401;
      else if (posts <= (options.failFirst ?? 0)) status = 500;
      const body = JSON.parse(rawBody) as Delivery['body'];
      deliveries.push({ resultJobId: String(req.headers['x-friendadd-delivery']), timestamp, signature, rawBody, body, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/results`;
  return {
    url,
    deliveries,
    accepted: () => deliveries.filter((d) => d.status === 200),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
