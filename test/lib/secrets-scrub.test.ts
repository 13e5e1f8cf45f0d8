import { describe, expect, it } from 'vitest';
import { SecretScrubber } from '../../src/lib/secrets.js';

describe('SecretScrubber.scrubDeep', () => {
  const s = new SecretScrubber();
  s.add('sekrit-value-123');

  it('returns a clean plain value as it is, without copying', () => {
    const value = { fromAccount: 'a', codes: { '0': 1000 }, list: [1, 'two', { three: 3 }], n: null };
    expect(s.scrubDeep(value)).toBe(value);
    const args = [value, 'tim friend_add call'];
    expect(s.scrubDeep(args)).toBe(args);
  });

  it('scrubs a secret anywhere within the depth, in a copy, leaving the original alone', () => {
    const value = { a: { b: ['x', `url?usersig=${encodeURIComponent('sekrit-value-123')}`] }, c: 'sekrit-value-123 twice sekrit-value-123' };
    const out = s.scrubDeep(value);
    expect(out).toEqual({ a: { b: ['x', 'url?usersig=[REDACTED]'] }, c: '[REDACTED] twice [REDACTED]' });
    expect(value.c).toContain('sekrit');
    // Repeated calls give the same answer (no regex position carried over).
    expect(s.scrubDeep('sekrit-value-123')).toBe('[REDACTED]');
    expect(s.scrubDeep('sekrit-value-123')).toBe('[REDACTED]');
  });

  it('flattens objects that are not plain, an error with its type, message and stack', () => {
    const err = Object.assign(new TypeError('boom sekrit-value-123'), { code: 'E1' });
    const out = s.scrubDeep({ err });
    expect(out.err).not.toBeInstanceOf(Error);
    expect(out.err).toEqual({ type: 'TypeError', message: 'boom [REDACTED]', stack: expect.stringContaining('TypeError: boom [REDACTED]'), code: 'E1' });
    class Thing {
      x = 'sekrit-value-123';
    }
    expect(s.scrubDeep([new Thing()])).toEqual([{ x: '[REDACTED]' }]);
  });

  it('censors a field named as a secret, in any case and whatever it holds, in a copy', () => {
    const value = { headers: { Authorization: 'Bearer abc', accept: 'json' }, list: [{ TOKEN: { nested: 1 } }], secretKey: 42 };
    expect(s.scrubDeep(value)).toEqual({ headers: { Authorization: '[REDACTED]', accept: 'json' }, list: [{ TOKEN: '[REDACTED]' }], secretKey: '[REDACTED]' });
    expect(value.headers.Authorization).toBe('Bearer abc');
    const censored = { token: '[REDACTED]' };
    expect(s.scrubDeep(censored)).toBe(censored);
  });

  it('leaves what lies deeper than the depth untouched', () => {
    const deep = { a: { b: 'sekrit-value-123' } };
    expect(s.scrubDeep(deep, 1)).toEqual(deep);
  });

  it('without secrets, still flattens but never copies plain values', () => {
    const none = new SecretScrubber();
    const value = { a: ['b'] };
    expect(none.scrubDeep(value)).toBe(value);
    expect(none.scrubDeep({ e: new Error('x') })).toEqual({ e: { type: 'Error', message: 'x', stack: expect.any(String) } });
  });
});
