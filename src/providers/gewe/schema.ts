import { z } from 'zod';

/** `scene` values GeWe documents for an add (option 2): WeChat id, QQ friend, group chat, phone. */
export const GEWE_ADD_SCENES = [3, 4, 8, 15] as const;

/** 2 add a friend, 3 accept a request, 4 reject a request. */
export const GEWE_OPTIONS = [2, 3, 4] as const;
export type GeweOption = (typeof GEWE_OPTIONS)[number];

const nonEmpty = (field: string) => z.string({ error: `${field} must be a string` }).min(1, { error: `${field} must not be empty` });

/**
 * The contract's `gewe` input job: one addContacts call. All six GeWe fields are required.
 * `content` (the greeting) may be empty for an accept or a reject (3, 4), not for an add (2), as
 * the contract says: an add's greeting is what the person reads. Unknown keys are
 * stripped (ignored), so older or newer producers still fit, as for `tim` jobs.
 */
export const geweJobSchema = z
  .object({
    requestId: z
      .string({ error: 'requestId must be a string' })
      .min(1, { error: 'requestId must not be empty' })
      .max(200, { error: 'requestId must be at most 200 characters' })
      .optional(),
    appId: nonEmpty('appId'),
    scene: z.number({ error: 'scene must be an integer' }).int({ error: 'scene must be an integer' }),
    option: z.literal(GEWE_OPTIONS, { error: 'option must be 2 (add), 3 (accept) or 4 (reject)' }),
    v3: nonEmpty('v3'),
    v4: nonEmpty('v4'),
    content: z.string({ error: 'content must be a string (it may be empty for 3 and 4)' }),
  })
  // The scene and content rules depend on option, so they cannot live on the fields; the path
  // still names the field.
  .superRefine((job, ctx) => {
    if (job.option !== 2) return;
    if (!(GEWE_ADD_SCENES as readonly number[]).includes(job.scene)) {
      ctx.addIssue({
        code: 'custom',
        path: ['scene'],
        message: `scene must be 3, 4, 8 or 15 when option is 2 (add); got ${job.scene}`,
      });
    }
    if (job.content === '') {
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'content must not be empty when option is 2 (add); it may be empty for 3 and 4' });
    }
  });

export type GeweJob = z.infer<typeof geweJobSchema>;

export type ParsedGeweJob =
  | { ok: true; job: GeweJob }
  | { ok: false; field: string; message: string; requestId?: string; account?: string; knownTargets: string[] };

/**
 * Parses job data that is `unknown` until proven otherwise. On failure it names the first field at
 * fault and salvages what the worker needs to report: the v3, when it is a usable string, gets its
 * `refused`/`invalid_input` result even though the job as a whole is broken.
 */
export function parseGeweJob(data: unknown): ParsedGeweJob {
  const parsed = geweJobSchema.safeParse(data);
  if (parsed.success) return { ok: true, job: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  const raw = isRecord(data) ? data : {};
  const v3 = nonEmptyString(raw.v3);
  return {
    ok: false,
    field,
    message: issue?.message ?? 'invalid gewe job',
    requestId: nonEmptyString(raw.requestId, 200),
    account: nonEmptyString(raw.appId),
    knownTargets: v3 === undefined ? [] : [v3],
  };
}

function nonEmptyString(value: unknown, maxLength = Infinity): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
