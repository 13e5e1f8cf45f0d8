import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { geweJobSchema, type GeweJob } from '../providers/gewe/schema.js';
import { inputError } from './errors.js';
import type { PreparedRequest } from './prepared-request.js';

/** One GeWe item (a `gewe` job's data), a list of them, or a list under one requestId. */
export type GeweSubmit = unknown;

const envelopeSchema = z.object({
  requestId: z.string().min(1).max(200).optional(),
  items: z.array(z.unknown()).min(1, { error: 'items must hold at least one item' }),
});

/**
 * Validates GeWe items with the worker's own schema: errors name `items.N.field` (or `field` for
 * a single item). Each item is one job. An item naming the same appId and v3 as an earlier one
 * is dropped (first wins): one person is asked once per request.
 */
export function prepareGewe(input: GeweSubmit): PreparedRequest<GeweJob> {
  const { requestId: named, items, prefix } = unwrap(input);
  const requestId = named ?? firstRequestId(items) ?? randomUUID();
  const seen = new Set<string>();
  const jobs: GeweJob[] = [];
  items.forEach((item, index) => {
    const path = prefix ? ['items', index] : [];
    const parsed = geweJobSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw inputError([...path, ...issue.path], issue.message);
    }
    if (parsed.data.requestId !== undefined && parsed.data.requestId !== requestId) {
      throw inputError([...path, 'requestId'], `requestId must be absent or the request's own (${requestId})`);
    }
    const key = JSON.stringify([parsed.data.appId, parsed.data.v3]);
    if (seen.has(key)) return;
    seen.add(key);
    jobs.push({ ...parsed.data, requestId });
  });
  return { provider: 'gewe', requestId, jobs, targets: jobs.length };
}

function unwrap(input: unknown): { requestId?: string; items: unknown[]; prefix: boolean } {
  if (Array.isArray(input)) {
    if (input.length === 0) throw inputError(['items'], 'items must hold at least one item');
    return { items: input, prefix: true };
  }
  if (typeof input === 'object' && input !== null && 'items' in input) {
    const parsed = envelopeSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw inputError(issue.path, issue.message);
    }
    return { requestId: parsed.data.requestId, items: parsed.data.items, prefix: true };
  }
  return { items: [input], prefix: false };
}

/** A bare list takes its requestId from its first item that names one. */
function firstRequestId(items: unknown[]): string | undefined {
  for (const item of items) {
    const id = (item as { requestId?: unknown } | null)?.requestId;
    if (typeof id === 'string' && id.length > 0) return id;
  }
  return undefined;
}
