import { signWebhook } from './signature.js';
import type { WebhookJobData } from './webhook-queue.js';

export interface WebhookTarget {
  url: string;
  /** RESULTS_WEBHOOK_SECRET: signs each POST when set. */
  secret?: string;
  /** HTTP_TIMEOUT_MS: deadline for the whole exchange, body included. */
  timeoutMs: number;
}

/** Thrown for an answer that is not 2xx: BullMQ retries the delivery with backoff. */
export class WebhookRejected extends Error {
  override name = 'WebhookRejected';
  constructor(readonly status: number) {
    super(`webhook answered HTTP ${status}`);
  }
}

/**
 * POSTs one result batch. The body is the batch with its `resultJobId` added (signed with it, so
 * receivers can trust it to drop a second delivery of the same batch).
 */
export async function deliverWebhook(target: WebhookTarget, data: WebhookJobData, nowSec = Math.floor(Date.now() / 1000)) {
  // An event goes as itself with its eventId (docs/callbacks.md), signed the same way.
  const body = data.kind === 'event' ? JSON.stringify(data.event) : JSON.stringify({ resultJobId: data.resultJobId, ...data.batch });
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-FriendAdd-Delivery': data.kind === 'event' ? data.eventId : data.resultJobId,
    'X-FriendAdd-Timestamp': String(nowSec),
  };
  if (target.secret) headers['X-FriendAdd-Signature'] = signWebhook(target.secret, nowSec, body);
  const response = await fetch(target.url, {
    method: 'POST',
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(target.timeoutMs),
  });
  // Read the answer to the end, so the connection goes back to the pool.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status > 299) throw new WebhookRejected(response.status);
}
