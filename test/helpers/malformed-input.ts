import fc from 'fast-check';

/** A job (or API body) broken on purpose, and what a correct system must say about it. */
export interface Malformed {
  /** The job name: `tim`, `gewe`, or junk. */
  name: string;
  /** The data, as it will look after BullMQ's JSON round trip. */
  data: unknown;
  /** Top-level fields broken on purpose; the error must name one ('*': any field will do). */
  broken: string[];
}

const DELETE = Symbol('delete');
type Edit = { path: (string | number)[]; value: unknown };

const notString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
/** Numbers as strings ("1400000001") included. */
const notNumber = fc.oneof(
  fc.integer().map(String),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);
const notInteger = fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true });
const notBoolean = fc.oneof(fc.constantFrom('true', 'false', 1, 0, null), fc.string({ unit: 'grapheme', maxLength: 8 }));
const notObject = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.anything(), { maxLength: 2 }));
const unicode = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
/** 201 to 60,000 code points, unicode included: longer than any field may be. */
const huge = fc.tuple(unicode, fc.integer({ min: 201, max: 60_000 })).map(([s, n]) => {
  const points = [...s]; // zod counts code points, so the length is counted in them too
  return Array.from({ length: n }, (_, i) => points[i % points.length]).join('');
});
const edit = (path: (string | number)[], value: fc.Arbitrary<unknown>) => value.map((v): Edit => ({ path, value: v }));
const badRequestId = edit(['requestId'], fc.oneof(notString, fc.constant(''), huge));

const timEdits = fc.oneof(
  fc.constantFrom<Edit>({ path: ['fromAccount'], value: DELETE }, { path: ['targets'], value: DELETE }),
  edit(['fromAccount'], fc.oneof(notString, fc.constant(''), huge)),
  edit(
    ['targets'],
    fc.oneof(
      notObject.filter((v) => !Array.isArray(v)),
      fc.constant([]),
    ),
  ),
  fc.nat(1).chain((k) => edit(['targets', k], notObject)),
  fc.nat(1).chain((k) => edit(['targets', k, 'toAccount'], fc.oneof(notString, fc.constant(''), fc.constant(DELETE)))),
  fc.nat(1).chain((k) => edit(['targets', k, 'addSource'], fc.oneof(notString, fc.constant(DELETE)))),
  fc.tuple(fc.nat(1), fc.constantFrom('remark', 'groupName', 'addWording')).chain(([k, f]) => edit(['targets', k, f], notString)),
  badRequestId,
  edit(['sdkAppId'], fc.oneof(notNumber, notInteger, fc.integer({ max: 0 }))),
  edit(
    ['addType'],
    fc.oneof(
      notString,
      unicode.filter((s) => s !== 'Add_Type_Both' && s !== 'Add_Type_Single'),
    ),
  ),
  edit(['forceAdd'], notBoolean),
);

const geweEdits = fc.oneof(
  fc.constantFrom('appId', 'scene', 'option', 'v3', 'v4', 'content').map((f): Edit => ({ path: [f], value: DELETE })),
  fc.constantFrom('appId', 'v3', 'v4').chain((f) => edit([f], fc.oneof(notString, fc.constant('')))),
  edit(['content'], notString),
  edit(
    ['scene'],
    fc.oneof(
      notNumber,
      notInteger,
      fc.integer().filter((n) => ![3, 4, 8, 15].includes(n)),
    ),
  ),
  edit(
    ['option'],
    fc.oneof(
      notNumber,
      notInteger,
      fc.integer().filter((n) => ![2, 3, 4].includes(n)),
    ),
  ),
  badRequestId,
);

/** Unknown keys are ignored by the schemas, so junk rides along with a real fault, never alone. */
const junkKeys = fc.dictionary(unicode, fc.anything({ maxDepth: 3 }), { maxKeys: 3 });

function timBase(i: number): Record<string, unknown> {
  const target = (s: string) => ({ toAccount: `fz${i}_${s}`, addSource: 'AddSource_Type_Web', remark: 'r' });
  return { requestId: `fz-${i}`, fromAccount: `fz_acct_${i % 20}`, addType: 'Add_Type_Both', forceAdd: false, targets: [target('a'), target('b')] };
}

function geweBase(i: number): Record<string, unknown> {
  return { requestId: `fz-${i}`, appId: `wx_fz_${i % 20}`, scene: 3, option: 2, v3: `v3_fz${i}`, v4: 'v4_fz', content: 'hi' };
}

function applyEdits(base: Record<string, unknown>, edits: Edit[], junk: Record<string, unknown>): Malformed['data'] {
  const data = structuredClone(base);
  for (const { path, value } of edits) {
    let parent: unknown = data;
    for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, unknown> | null)?.[step];
    if (typeof parent !== 'object' || parent === null) continue; // an earlier edit replaced the parent: it is broken anyway
    const last = path.at(-1)!;
    if (value === DELETE) delete (parent as Record<string | number, unknown>)[last];
    else (parent as Record<string | number, unknown>)[last] = value;
  }
  return JSON.parse(JSON.stringify({ ...junk, ...data })) as unknown;
}

/** `n` malformed jobs from `seed`: broken TIM and GeWe data, whole-data junk, and junk job names. */
export function malformedJobs(n: number, seed: number): Malformed[] {
  const edits = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: 1, maxLength: 3 });
  const one = fc.tuple(fc.nat(99), edits(timEdits), edits(geweEdits), junkKeys, fc.anything({ maxDepth: 3 }), unicode);
  return fc.sample(one, { numRuns: n, seed }).map(([roll, tim, gewe, junk, anything, name], i): Malformed => {
    if (roll < 45) return { name: 'tim', data: applyEdits(timBase(i), tim, junk), broken: tim.map((e) => String(e.path[0])) };
    if (roll < 90) return { name: 'gewe', data: applyEdits(geweBase(i), gewe, junk), broken: gewe.map((e) => String(e.path[0])) };
    if (roll < 95) return { name: roll % 2 ? 'tim' : 'gewe', data: JSON.parse(JSON.stringify(wholeJunk(anything))) as unknown, broken: ['*'] };
    return { name: name === 'tim' || name === 'gewe' ? `${name}!` : name, data: timBase(i), broken: ['name'] };
  });
}

/** Data that is no job at all: null, a list, a number, a string, or an object of junk. */
function wholeJunk(anything: unknown): unknown {
  if (typeof anything === 'object' && anything !== null && !Array.isArray(anything)) return { junk: anything };
  return anything ?? null;
}

/** A good job to interleave with the broken ones, and the result key it must produce. */
export interface GoodJob {
  name: 'tim' | 'gewe';
  data: Record<string, unknown>;
  requestId: string;
  key: string;
}

/** `n` good jobs, TIM and GeWe in turn, each with one target the simulators answer with success. */
export function goodJobs(n: number): GoodJob[] {
  return Array.from({ length: n }, (_, g): GoodJob => {
    const requestId = `good-${g}`;
    if (g % 2) {
      const data = { requestId, fromAccount: `good_acct_${g}`, targets: [{ toAccount: `ok_good_${g}`, addSource: 'AddSource_Type_Web' }] };
      return { name: 'tim', data, requestId, key: `${requestId}/ok_good_${g}` };
    }
    const data = { requestId, appId: `wx_good_${g}`, scene: 3, option: 2, v3: `v3_ok_good_${g}`, v4: `v4_good_${g}`, content: 'hi' };
    return { name: 'gewe', data, requestId, key: `${requestId}/v3_ok_good_${g}` };
  });
}

/**
 * A malformed job as an API call: TIM-shaped to the TIM submit, GeWe-shaped to the GeWe one.
 * Junk job names have no API form: those become bodies that are not even JSON (cut short).
 */
export function asApiBody(m: Malformed, i: number): { url: string; payload: string } {
  const json = JSON.stringify(m.data);
  if (m.broken.includes('name')) return { url: '/v1/tim/friend-add', payload: json.slice(0, 10 + (i % 40)) };
  return { url: m.name === 'gewe' ? '/v1/gewe/add-contacts' : '/v1/tim/friend-add', payload: json };
}
