import { z } from 'zod';

/** Text fields are informative only: a missing or odd one must not cost a whole answer. */
const text = z.string().catch('');
const optionalText = z.string().optional().catch(undefined);

/**
 * One friend_add answer. ActionStatus and ErrorCode are what every TIM answer carries; without them
 * the body is not a TIM answer at all. The lists must be arrays when present, or we cannot tell which
 * target fared how. Extra fields (ErrorDisplay, newer ones) pass through untouched.
 */
export const timAnswerSchema = z.looseObject({
  ActionStatus: z.string(),
  ErrorCode: z.number().int(),
  ErrorInfo: text,
  RequestId: optionalText,
  ResultItem: z.array(z.unknown()).optional(),
  Fail_Account: z.array(z.unknown()).optional(),
  Invalid_Account: z.array(z.unknown()).optional(),
});

/**
 * One item of ResultItem. Items are checked one by one, so one garbled item costs only its own
 * target (which then counts as missing, hence transient), not the whole batch.
 */
export const timResultItemSchema = z.looseObject({
  To_Account: z.string(),
  ResultCode: z.number().int(),
  ResultInfo: text,
});

export type TimAnswer = z.infer<typeof timAnswerSchema>;
export type TimResultItem = z.infer<typeof timResultItemSchema>;

/**
 * timAnswerSchema's safeParse. An answer that is already what the schema gives back (every
 * friend_add answer TIM sends) is taken as it is: the schema copies each of its lists, up to 1000
 * items, to check that it is an array. Anything else goes through the schema, which also says
 * what is wrong.
 */
export function parseTimAnswer(body: unknown): ReturnType<typeof timAnswerSchema.safeParse> {
  if (alreadyTimAnswer(body)) return { success: true, data: body };
  return timAnswerSchema.safeParse(body);
}

function alreadyTimAnswer(body: unknown): body is TimAnswer {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return (
    typeof b.ActionStatus === 'string' &&
    Number.isSafeInteger(b.ErrorCode) &&
    typeof b.ErrorInfo === 'string' &&
    (b.RequestId === undefined || typeof b.RequestId === 'string') &&
    listOrAbsent(b.ResultItem) &&
    listOrAbsent(b.Fail_Account) &&
    listOrAbsent(b.Invalid_Account)
  );
}

function listOrAbsent(value: unknown): boolean {
  return value === undefined || Array.isArray(value);
}
