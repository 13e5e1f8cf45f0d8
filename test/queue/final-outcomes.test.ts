import { describe, expect, it } from 'vitest';
import { decodeFinals, finalOutcomes } from '../../src/queue/final-outcomes.js';

/** What record-results.lua writes: lengths in UTF-8 bytes, a newline, the names back to back. */
const encode = (finals: [string, string][]) =>
  `${finals.map(([t, o]) => `${Buffer.byteLength(t)},${Buffer.byteLength(o)},`).join('')}\n${finals.map(([t, o]) => t + o).join('')}`;

describe('final outcomes in a job state hash', () => {
  it('decodes a batch field by byte lengths, ASCII or not', () => {
    const finals: [string, string][] = [
      ['bob', 'added'],
      ['张三', 'refused'],
      ['with,comma\nand newline', 'failed'],
      ['😀', 'requested'],
    ];
    const into = new Map<string, string>();
    decodeFinals(encode(finals), into);
    expect([...into]).toEqual(finals);
  });

  it('reads batch fields and per-target fields of older jobs together, ignoring the rest', () => {
    const hash = { seq: '2', 'F:1': encode([['amy', 'added']]), 'F:2': encode([['ben', 'failed']]), 'f:cy': 'refused', 'a:dee': '1', 'l:dee': '{}' };
    expect(Object.fromEntries(finalOutcomes(hash))).toEqual({ amy: 'added', ben: 'failed', cy: 'refused' });
  });

  it('an empty batch field decodes to nothing', () => {
    const into = new Map<string, string>();
    decodeFinals('\n', into);
    expect(into.size).toBe(0);
  });
});
