/** The six documented fields, as the simulator saw them in a body that passed the checks. */
export interface AddContactsBody {
  appId: string;
  scene: number;
  option: 2 | 3 | 4;
  v3: string;
  v4: string;
  content: string;
}

const ADD_SCENES = new Set([3, 4, 8, 15]);

/**
 * Checks a body against GeWe's doc: all six fields required, with their types; option 2, 3 or 4;
 * an add's scene one of the documented sources. Returns the problem, naming the field, or the body.
 */
export function checkAddContactsBody(body: unknown): { ok: true; body: AddContactsBody } | { ok: false; problem: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problem: 'body must be a JSON object' };
  }
  const b = body as Record<string, unknown>;
  for (const field of ['appId', 'v3', 'v4'] as const) {
    if (typeof b[field] !== 'string' || b[field] === '') return { ok: false, problem: `field ${field}: a non-empty string is required` };
  }
  if (typeof b.content !== 'string') return { ok: false, problem: 'field content: a string is required' };
  if (!Number.isInteger(b.scene)) return { ok: false, problem: 'field scene: an integer is required' };
  if (b.option !== 2 && b.option !== 3 && b.option !== 4) return { ok: false, problem: 'field option: must be 2, 3 or 4' };
  if (b.option === 2 && !ADD_SCENES.has(b.scene as number)) {
    return { ok: false, problem: 'field scene: must be 3, 4, 8 or 15 when option is 2' };
  }
  return { ok: true, body: b as unknown as AddContactsBody };
}

/** What the arrival log needs from any body, valid or not. */
export function arrivalFields(body: unknown): { appId: string; option: number | null; v3: string } {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return {
    appId: typeof b.appId === 'string' ? b.appId : '',
    option: typeof b.option === 'number' ? b.option : null,
    v3: typeof b.v3 === 'string' ? b.v3 : '',
  };
}
