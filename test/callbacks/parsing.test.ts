import { describe, expect, it } from 'vitest';
import { msgAttributes } from '../../src/callbacks/gewe-xml.js';
import { v3Candidates } from '../../src/callbacks/v3-candidates.js';
import { checkTimSign, timCallbackSign } from '../../src/callbacks/tim-sign.js';
import { policyAccepts } from '../../src/callbacks/auto-accept-policy.js';

describe('GeWe friend-request XML', () => {
  it('reads the attributes of <msg>, either quote, entities decoded, > inside values', () => {
    const xml = `<?xml version="1.0"?>\n<msg fromusername="wxid_a" encryptusername="v3_abc@stranger" fromnickname='Tom &amp; "Jerry"' content="hi &lt;3 &#x4F60;&#22909; a>b" scene="6" ticket="v4_x@stranger" opcode="2"><brandlist count="0" ver="1"></brandlist></msg>`;
    expect(msgAttributes(xml)).toMatchObject({
      encryptusername: 'v3_abc@stranger',
      ticket: 'v4_x@stranger',
      scene: '6',
      content: 'hi <3 你好 a>b',
      fromnickname: 'Tom & "Jerry"',
    });
  });

  it('reads nothing outside the tag and survives garbage', () => {
    expect(msgAttributes('<msgfoo a="1"/>')).toBeUndefined();
    expect(msgAttributes('no xml at all')).toBeUndefined();
    expect(msgAttributes('<msg a="1" junk b="2"/> c="3"')).toEqual({ a: '1' });
    expect(msgAttributes('<msg __proto__="x" a="1"/>')!.a).toBe('1');
    expect(msgAttributes(`<msg content="${'x'.repeat(200_000)}`)).toEqual({});
  });
});

describe('v3s in any GeWe message', () => {
  it('finds EncryptUserName at any depth, wrapped or bare, in XML, and v3 tokens in text', () => {
    const data = {
      EncryptUserName: { string: 'v3_one@stranger' },
      Nested: { encrypt_username: 'v3_two@stranger' },
      Content: { string: '<msg encryptusername="v3_three@stranger" />' },
      PushContent: 'you added v3_four@stranger, say hi',
    };
    expect(v3Candidates(data).sort()).toEqual(['v3_four@stranger', 'v3_one@stranger', 'v3_three@stranger', 'v3_two@stranger']);
  });

  it('is bounded for a hostile message', () => {
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, `v3_${i}@stranger`]));
    expect(v3Candidates(many).length).toBeLessThanOrEqual(20);
    let deep: Record<string, unknown> = { EncryptUserName: 'v3_deep@stranger' };
    for (let i = 0; i < 50; i++) deep = { d: deep };
    expect(v3Candidates(deep)).toEqual([]);
  });
});

describe('TIM Sign', () => {
  const now = 1_764_680_000_000;
  const time = String(now / 1000);

  it("matches the sample on Tencent's webhook page", () => {
    expect(timCallbackSign('xxxxyyyy', '1669872112')).toBe('17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061');
  });

  it('is the hex SHA-256 of token + RequestTime, checked within 1 minute', () => {
    const sign = timCallbackSign('tok', time);
    expect(sign).toMatch(/^[0-9a-f]{64}$/);
    expect(checkTimSign('tok', time, sign, now)).toEqual({ ok: true });
    expect(checkTimSign('tok', time, sign.toUpperCase(), now)).toEqual({ ok: true });
    expect(checkTimSign('tok2', time, sign, now).ok).toBe(false);
    expect(checkTimSign('tok', time, sign, now + 59_000)).toEqual({ ok: true });
    expect(checkTimSign('tok', time, sign, now + 61_000).ok).toBe(false);
    expect(checkTimSign('tok', time, sign, now - 61_000).ok).toBe(false);
    expect(checkTimSign('tok', undefined, sign, now).ok).toBe(false);
    expect(checkTimSign('tok', time, ['x'], now).ok).toBe(false);
  });
});

describe('auto-accept policies', () => {
  it('off, all and match: on the greeting', () => {
    expect(policyAccepts('off', 'hello')).toBe(false);
    expect(policyAccepts('all', '')).toBe(true);
    expect(policyAccepts('match:^hello', 'hello there')).toBe(true);
    expect(policyAccepts('match:^hello', 'oh hello')).toBe(false);
  });
});
