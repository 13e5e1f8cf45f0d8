import { describe, expect, it } from 'vitest';
import { parseGeweJob } from '../../../src/providers/gewe/schema.js';

const valid = { requestId: 'req-1', appId: 'wx_app_1', scene: 3, option: 2, v3: 'v3_abc', v4: 'v4_abc', content: 'hello' };

function failure(data: unknown) {
  const parsed = parseGeweJob(data);
  if (parsed.ok) throw new Error('expected a failure');
  return parsed;
}

describe('parseGeweJob: valid jobs', () => {
  it('accepts the contract example and strips unknown keys', () => {
    const parsed = parseGeweJob({ ...valid, extra: 1 });
    expect(parsed).toEqual({ ok: true, job: valid });
  });

  it('accepts a job without requestId', () => {
    const { requestId: _omit, ...rest } = valid;
    expect(parseGeweJob(rest)).toEqual({ ok: true, job: rest });
  });

  it.each([3, 4, 8, 15])('accepts an add (option 2) with scene %i', (scene) => {
    expect(parseGeweJob({ ...valid, scene }).ok).toBe(true);
  });

  it.each([
    [3, 30],
    [3, 0],
    [4, 17],
    [4, -1],
  ])('accepts option %i with any integer scene (%i, the callback value)', (option, scene) => {
    expect(parseGeweJob({ ...valid, option, scene }).ok).toBe(true);
  });

  it.each([3, 4])('accepts an empty content with option %i', (option) => {
    expect(parseGeweJob({ ...valid, option, scene: 6, content: '' }).ok).toBe(true);
  });

  it('refuses an empty content for an add (option 2), naming content and the v3 it carried', () => {
    const parsed = parseGeweJob({ ...valid, option: 2, content: '' });
    expect(parsed).toMatchObject({ ok: false, field: 'content', knownTargets: [valid.v3] });
    expect(parsed.ok ? '' : parsed.message).toMatch(/content must not be empty when option is 2/);
  });
});

describe('parseGeweJob: each error names its field', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['requestId empty', { requestId: '' }, 'requestId'],
    ['requestId over 200 chars', { requestId: 'r'.repeat(201) }, 'requestId'],
    ['requestId a number', { requestId: 7 }, 'requestId'],
    ['appId missing', { appId: undefined }, 'appId'],
    ['appId empty', { appId: '' }, 'appId'],
    ['scene missing', { scene: undefined }, 'scene'],
    ['scene a string', { scene: '3' }, 'scene'],
    ['scene fractional', { scene: 3.5 }, 'scene'],
    ['option missing', { option: undefined }, 'option'],
    ['option 1', { option: 1 }, 'option'],
    ['option 5', { option: 5 }, 'option'],
    ['option a string', { option: '2' }, 'option'],
    ['v3 missing', { v3: undefined }, 'v3'],
    ['v3 empty', { v3: '' }, 'v3'],
    ['v4 missing', { v4: undefined }, 'v4'],
    ['v4 a number', { v4: 4 }, 'v4'],
    ['content missing', { content: undefined }, 'content'],
    ['content null', { content: null }, 'content'],
    ['an add with scene 5', { scene: 5 }, 'scene'],
    ['an add with scene 0', { scene: 0 }, 'scene'],
  ];

  it.each(cases)('%s → field %s', (_name, patch, field) => {
    const f = failure({ ...valid, ...patch });
    expect(f.field).toBe(field);
    // The message names the field too, so a log line alone says what is wrong.
    expect(f.message).toContain(field);
  });

  it('explains the scene rule for adds', () => {
    expect(failure({ ...valid, scene: 5 }).message).toBe('scene must be 3, 4, 8 or 15 when option is 2 (add); got 5');
  });

  it.each([null, 'a string', 42, []])('names the root when the data is %j', (data) => {
    expect(failure(data)).toEqual({ ok: false, field: '(root)', message: expect.any(String), knownTargets: [] });
  });
});

describe('parseGeweJob: what a broken job still tells', () => {
  it('salvages requestId, account and the v3 as a known target', () => {
    expect(failure({ ...valid, scene: 99 })).toMatchObject({ requestId: 'req-1', account: 'wx_app_1', knownTargets: ['v3_abc'] });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not a string', 123],
  ])('knows no target when v3 is %s', (_name, v3) => {
    expect(failure({ ...valid, v3 }).knownTargets).toEqual([]);
  });

  it('drops a requestId or appId that is no usable string', () => {
    const f = failure({ ...valid, requestId: 'r'.repeat(201), appId: 5 });
    expect(f.requestId).toBeUndefined();
    expect(f.account).toBeUndefined();
    expect(f.knownTargets).toEqual(['v3_abc']);
  });
});
