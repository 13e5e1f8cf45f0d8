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
