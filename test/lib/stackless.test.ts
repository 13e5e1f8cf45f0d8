import { DelayedError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { stackless } from '../../src/lib/stackless.js';
import { Wait } from '../../src/worker/wait.js';

describe('errors that are control flow carry no stack', () => {
  it('stackless makes the error without its stack, and leaves the limit as it was', () => {
    const before = Error.stackTraceLimit;
    const made = stackless(() => new DelayedError('waits'));
    expect(made).toBeInstanceOf(DelayedError);
    expect(made.message).toBe('waits');
    expect(made.stack?.split('\n').filter((line) => line.trim().startsWith('at '))).toEqual([]);
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('normal').stack).toMatch(/\n\s+at /);
  });

  it('restores the limit when making the error throws', () => {
    const before = Error.stackTraceLimit;
    expect(() =>
      stackless(() => {
        throw new RangeError('bad');
      }),
    ).toThrow('bad');
    expect(Error.stackTraceLimit).toBe(before);
  });

  it('a Wait says until when and why, without a stack; an invalid time throws and leaves the limit', () => {
    const before = Error.stackTraceLimit;
    const wait = new Wait(Date.UTC(2026, 0, 1), 'account busy');
    expect(wait).toBeInstanceOf(Error);
    expect(wait).toMatchObject({ name: 'Wait', untilMs: Date.UTC(2026, 0, 1), reason: 'account busy' });
    expect(wait.message).toBe('wait until 2026-01-01T00:00:00.000Z: account busy');
    expect(wait.stack?.includes('\n    at ')).toBe(false);
    expect(() => new Wait(Number.NaN, 'never')).toThrow(RangeError);
    expect(Error.stackTraceLimit).toBe(before);
  });
});
