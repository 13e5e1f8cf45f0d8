import { z } from 'zod';

/**
 * The contract's `tim` input job. Shape and types only: TIM's byte limits are checked per target
 * by `targetLimitProblem`, because a target that breaks them is refused alone while the rest of
 * the job goes ahead. Unknown keys are stripped (ignored), so older or newer producers still fit.
 */
export const timTargetSchema = z.object({
  toAccount: z.string().min(1),
  addSource: z.string(),
  remark: z.string().optional(),
  groupName: z.string().optional(),
  addWording: z.string().optional(),
});

export const timJobSchema = z.object({
  requestId: z.string().min(1).max(200).optional(),
  sdkAppId: z.number().int().positive().optional(),
  fromAccount: z.string().min(1),
  addType: z.enum(['Add_Type_Both', 'Add_Type_Single']).optional(),
  forceAdd: z.boolean().optional(),
  targets: z.array(timTargetSchema).min(1),
});

export type TimTarget = z.infer<typeof timTargetSchema>;
export type TimJob = z.infer<typeof timJobSchema>;

export type ParsedTimJob =
  | { ok: true; job: TimJob }
  | { ok: false; field: string; message: string; requestId?: string; account?: string; knownTargets: string[] };

/**
 * Parses job data that is `unknown` until proven otherwise. On failure it names the first field at
 * fault and salvages what the worker needs to report: every toAccount that is a usable string gets
 * a `refused`/`invalid_input` result, even though the job as a whole is broken.
 */
export function parseTimJob(data: unknown): ParsedTimJob {
  // Up to 1000 targets a job, on every pass: a job that is already exactly what the schema would
  // give back is taken as it is; anything else (a wrong type, an unknown key to strip) goes
  // through the schema, which also names what is wrong.
  if (alreadyParsed(data)) return { ok: true, job: data };
  const parsed = timJobSchema.safeParse(data);
  if (parsed.success) return { ok: true, job: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  const raw = isRecord(data) ? data : {};
  return {
    ok: false,
    field,
    message: issue?.message ?? 'invalid job',
    requestId: nonEmptyString(raw.requestId, 200),
    account: nonEmptyString(raw.fromAccount),
    knownTargets: salvageTargets(raw.targets),
  };
}

const JOB_KEYS = new Set(['requestId', 'sdkAppId', 'fromAccount', 'addType', 'forceAdd', 'targets']);
const TARGET_KEYS = new Set(['toAccount', 'addSource', 'remark', 'groupName', 'addWording']);

/**
 * True when `timJobSchema` would accept `data` and give back an equal value: every field of the
 * right type and within its bounds, and no key it would strip. Kept beside the schema: a field
 * added there must be added here, or such jobs only take the schema's (slower) way.
 */
function alreadyParsed(data: unknown): data is TimJob {
  if (!isRecord(data) || Object.getPrototypeOf(data) !== Object.prototype) return false;
  for (const key of Object.keys(data)) if (!JOB_KEYS.has(key)) return false;
  const { requestId, sdkAppId, fromAccount, addType, forceAdd, targets } = data;
  if (requestId !== undefined && !(typeof requestId === 'string' && requestId.length >= 1 && requestId.length <= 200)) return false;
  if (sdkAppId !== undefined && !(Number.isSafeInteger(sdkAppId) && (sdkAppId as number) > 0)) return false;
  if (!(typeof fromAccount === 'string' && fromAccount.length >= 1)) return false;
  if (addType !== undefined && addType !== 'Add_Type_Both' && addType !== 'Add_Type_Single') return false;
  if (forceAdd !== undefined && typeof forceAdd !== 'boolean') return false;
  if (!Array.isArray(targets) || targets.length === 0) return false;
  for (const t of targets) {
    if (!isRecord(t) || Object.getPrototypeOf(t) !== Object.prototype) return false;
    // for…in, not Object.keys: no array a target (the prototype, checked above, adds no keys).
    for (const key in t) if (!TARGET_KEYS.has(key)) return false;
    if (!(typeof t.toAccount === 'string' && t.toAccount.length >= 1 && typeof t.addSource === 'string')) return false;
    if (
      (t.remark !== undefined && typeof t.remark !== 'string') ||
      (t.groupName !== undefined && typeof t.groupName !== 'string') ||
      (t.addWording !== undefined && typeof t.addWording !== 'string')
    )
      return false;
  }
  return true;
}

/** TIM's UserID limit, in UTF-8 bytes. */
const ACCOUNT_MAX_BYTES = 32;
const REMARK_MAX_BYTES = 96;
const ADD_WORDING_MAX_BYTES = 256;
const GROUP_NAME_MAX_BYTES = 30;
/** `AddSource_Type_` and a keyword of letters only, at most 8 bytes. */
const ADD_SOURCE = /^AddSource_Type_[A-Za-z]{1,8}$/;

export interface LimitProblem {
  /** The contract's field name, relative to the target (prefix `targets.N.` for a path). */
  field: string;
  message: string;
}

/** TIM's byte limits on one target; undefined when it fits. Lengths are UTF-8 bytes, not chars. */
export function targetLimitProblem(t: TimTarget): LimitProblem | undefined {
  return (
    maxBytes('toAccount', t.toAccount, ACCOUNT_MAX_BYTES) ??
    (validAddSource(t.addSource) ? undefined : { field: 'addSource', message: 'addSource must be AddSource_Type_ followed by 1 to 8 letters' }) ??
    maxBytes('remark', t.remark, REMARK_MAX_BYTES) ??
    (t.groupName === '' ? { field: 'groupName', message: 'groupName must not be empty' } : undefined) ??
    maxBytes('groupName', t.groupName, GROUP_NAME_MAX_BYTES) ??
    maxBytes('addWording', t.addWording, ADD_WORDING_MAX_BYTES)
  );
}

/** TIM's UserID limit on the sending account. */
export function accountLimitProblem(fromAccount: string): LimitProblem | undefined {
  return maxBytes('fromAccount', fromAccount, ACCOUNT_MAX_BYTES);
}

/** A target named twice is called and reported once: the first occurrence wins. */
export function dedupeTargets(targets: TimTarget[]): TimTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => !seen.has(t.toAccount) && seen.add(t.toAccount));
}

/** The last addSource found valid: a job's targets nearly always share one, so the pattern runs once a job. */
let lastValidAddSource: string | undefined;

function validAddSource(addSource: string): boolean {
  if (addSource === lastValidAddSource) return true;
  if (!ADD_SOURCE.test(addSource)) return false;
  lastValidAddSource = addSource;
  return true;
}

function maxBytes(field: string, value: string | undefined, max: number): LimitProblem | undefined {
  // A UTF-16 unit is at most 3 UTF-8 bytes: a text this short fits without counting.
  if (value === undefined || value.length * 3 <= max) return undefined;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes <= max) return undefined;
  return { field, message: `${field} is ${bytes} bytes in UTF-8; TIM allows at most ${max}` };
}

function salvageTargets(targets: unknown): string[] {
  if (!Array.isArray(targets)) return [];
  const found = new Set<string>();
  for (const t of targets) {
    const account = isRecord(t) ? nonEmptyString(t.toAccount) : undefined;
    if (account !== undefined) found.add(account);
  }
  return [...found];
}

function nonEmptyString(value: unknown, maxLength = Infinity): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
