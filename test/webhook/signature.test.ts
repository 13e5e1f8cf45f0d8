import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../src/webhook/signature.js';

const SECRET = 'whsec-test-0123456789';
const BODY = JSON.stringify({ requestId: 'r1', provider: 'tim', account: 'alice', results: [{ target: 'bob', outcome: 'added' }] });
const NOW = 1_800_000_000;

describe('webhook signatures', () => {
  it('is sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
    expect(signWebhook(SECRET, NOW, BODY)).toBe(`sha256=${expected}`);
  });

  it('accepts its own signature, over a string or the raw bytes', () => {
    const sig = signWebhook(SECRET, NOW, BODY);
    expect(verifyWebhookSignature(SECRET, String(NOW), BODY, sig, 300, NOW)).toBe(true);
    expect(verifyWebhookSignature(SECRET, String(NOW), Buffer.from(BODY), sig, 300, NOW + 299)).toBe(true);
  });

  it('refuses a changed body, another secret, another timestamp and malformed headers', () => {
    const sig = signWebhook(SECRET, NOW, BODY);
    expect(verifyWebhookSignature(SECRET, String(NOW), BODY.replace('added', 'refused'), sig, 300, NOW)).toBe(false);
    expect(verifyWebhookSignature('another-secret-xyz', String(NOW), BODY, sig, 300, NOW)).toBe(false);
    expect(verifyWebhookSignature(SECRET, String(NOW + 1), BODY, sig, 300, NOW)).toBe(false);
    expect(verifyWebhookSignature(SECRET, undefined, BODY, sig, 300, NOW)).toBe(false);
    expect(verifyWebhookSignature(SECRET, String(NOW), BODY, undefined, 300, NOW)).toBe(false);
    expect(verifyWebhookSignature(SECRET, `${NOW}.5`, BODY, sig, 300, NOW)).toBe(false);
    expect(verifyWebhookSignature(SECRET, String(NOW), BODY, sig.slice(0, -1), 300, NOW)).toBe(false);
    expect(verifyWebhookSignature(SECRET, String(NOW), BODY, sig.replace('sha256=', 'sha1='), 300, NOW)).toBe(false);
  });

  it('refuses a replay: a genuine signature whose timestamp is more than 5 minutes old (or ahead)', () => {
    const sig = signWebhook(SECRET, NOW, BODY);
    expect(verifyWebhookSignature(SECRET, String(NOW), BODY, sig, 300, NOW + 301)).toBe(false);
    expect(verifyWebhookSignature(SECRET, String(NOW), BODY, sig, 300, NOW - 301)).toBe(false);
    expect(verifyWebhookSignature(SECRET, String(NOW), BODY, sig, 3600, NOW + 3000)).toBe(true);
  });
});
