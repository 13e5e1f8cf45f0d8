import { describe, expect, it } from 'vitest';
import { secrets } from '../../src/lib/secrets.js';
import { captureLogs } from '../helpers/log-sink.js';

describe('createLogger', () => {
  it('censors fields named as secrets at any depth and in any case, leaving the caller’s value alone', () => {
    const { logger, lines, text } = captureLogs();
    const logged = { token: 'top-token-1', req: { headers: { Authorization: 'Bearer deep-auth-2' } }, a: { b: { c: { userSig: 'deep-sig-3' } } } };
    logger.info(logged, 'with secrets');
    const [line] = lines();
    expect(line).toMatchObject({ token: '[REDACTED]', req: { headers: { Authorization: '[REDACTED]' } }, a: { b: { c: { userSig: '[REDACTED]' } } } });
    for (const value of ['top-token-1', 'deep-auth-2', 'deep-sig-3']) expect(text()).not.toContain(value);
    expect(logged.req.headers.Authorization).toBe('Bearer deep-auth-2');
  });

  it('scrubs known secret values from a child logger’s bindings and from the message', () => {
    const secret = `child-secret-${process.pid}-x`;
    secrets.add(secret);
    try {
      const { logger, text } = captureLogs();
      logger.child({ info: `GeWe said: ${secret}` }).warn(`message with ${encodeURIComponent(secret)}`);
      expect(text()).toContain('GeWe said: [REDACTED]');
      expect(text()).toContain('message with [REDACTED]');
      expect(text()).not.toContain(secret);
    } finally {
      secrets.remove(secret);
    }
  });

  it('keeps an error’s request and answer out, and its own fields in', () => {
    const { logger, lines } = captureLogs();
    const err = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', config: { url: 'https://x/?usersig=abc' }, response: { data: 'x' } });
    logger.error({ err }, 'call failed');
    const [line] = lines() as [{ err: Record<string, unknown> }];
    expect(line.err).toMatchObject({ type: 'Error', message: 'socket hang up', code: 'ECONNRESET', config: '[REDACTED]', response: '[REDACTED]' });
    expect(line.err.stack).toContain('socket hang up');
  });

  it('logs an error given first as pino does, under err, its message the line’s', () => {
    const { logger, lines } = captureLogs();
    logger.error(new RangeError('out of range'));
    logger.warn(new Error('with a message'), 'what was being done');
    expect(lines()).toMatchObject([
      { msg: 'out of range', err: { type: 'RangeError', message: 'out of range' } },
      { msg: 'what was being done', err: { type: 'Error', message: 'with a message' } },
    ]);
  });
});
