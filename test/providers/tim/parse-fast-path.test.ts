import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimJob, timJobSchema } from '../../../src/providers/tim/schema.js';

/** What parseTimJob gave before its fast path: the schema's verdict, always. */
function viaSchema(data: unknown) {
  const parsed = timJobSchema.safeParse(data);
  return parsed.success ? { ok: true, job: parsed.data } : { ok: false };
}

const str = fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('', 'ok_1', 'AddSource_Type_Web', 'x'.repeat(201)));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const odd = fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.boolean(), fc.constant([]), fc.constant({}), str);
const target = fc.record(
  {
    toAccount: fc.oneof(str, odd),
    addSource: fc.oneof(str, odd),
    remark: maybe(fc.oneof(str, odd)),
    groupName: maybe(str),
    addWording: maybe(str),
    extra: maybe(str),
  },
  { requiredKeys: [] },
);
const job = fc.record(
  {
    requestId: maybe(fc.oneof(str, odd)),
    sdkAppId: maybe(fc.oneof(fc.integer({ min: -2, max: 2_000_000_000 }), fc.double(), fc.constant(2 ** 60), str)),
    fromAccount: fc.oneof(str, odd),
    addType: maybe(fc.oneof(fc.constantFrom('Add_Type_Both', 'Add_Type_Single', 'Add_Type_Other'), odd)),
    forceAdd: maybe(fc.oneof(fc.boolean(), odd)),
    targets: fc.oneof(fc.array(fc.oneof(target, odd), { maxLength: 4 }), odd),
    stray: maybe(str),
  },
  { requiredKeys: [] },
);

describe('parseTimJob fast path', () => {
  it('agrees with the schema on every input: accepted or not, and the same job when accepted', () => {
    fc.assert(
      fc.property(fc.oneof(job, odd), (data) => {
        // Through JSON, as BullMQ hands job data over: no undefined values, plain objects.
        const json = data === undefined ? undefined : JSON.parse(JSON.stringify(data));
        const got = parseTimJob(json);
        const want = viaSchema(json);
        expect(got.ok).toBe(want.ok);
        if (got.ok && want.ok) expect(got.job).toEqual(want.job);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes a well-formed 1000-target job as it is, and strips an unknown key through the schema', () => {
    const data = {
      requestId: 'r',
      fromAccount: 'alice',
      targets: Array.from({ length: 1000 }, (_, i) => ({ toAccount: `t${i}`, addSource: 'AddSource_Type_Web' })),
    };
    const got = parseTimJob(data);
    expect(got.ok && got.job).toBe(data);
    const stray = parseTimJob({ ...data, targets: [{ toAccount: 'x', addSource: 'AddSource_Type_Web', note: 'n' }] });
    expect(stray.ok && stray.job.targets[0]).toEqual({ toAccount: 'x', addSource: 'AddSource_Type_Web' });
  });
});
