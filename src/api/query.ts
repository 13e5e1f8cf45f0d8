import { z } from 'zod';
import { inputError } from '../client/errors.js';

const int = z.coerce.number().int();

/** Query parameters of the producer API; unknown ones are ignored. */
const querySchema = z.object({
  /** BullMQ priority of a submit's jobs (see SubmitOptions.priority). */
  priority: int.min(0).optional(),
  offset: int.min(0).optional(),
  limit: int.min(1).optional(),
});

export type ApiQuery = z.infer<typeof querySchema>;

/** Parses the query string; a bad value answers 400 naming it. */
export function parseQuery(query: unknown): ApiQuery {
  const parsed = querySchema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw inputError(issue.path, issue.message);
}
