import { describe, expect, it } from 'vitest';
import { AnswerFloor } from '../../src/limiter/answer-floor.js';

describe('AnswerFloor', () => {
  it('is 0 for a size it has no answer for: the first call is judged on its whole time', () => {
    const floor = new AnswerFloor();
    expect(floor.floorFor(1000)).toBe(0);
    floor.record(1, 3);
    expect(floor.floorFor(1000)).toBe(0);
  });

  it('is the least recent answer among calls of about the same size, not of every size', () => {
    const floor = new AnswerFloor();
    for (const ms of [40, 12, 30]) floor.record(1000, ms);
    floor.record(600, 9); // 513–1000 targets are one class
    floor.record(1, 2);
    expect(floor.floorFor(1000)).toBe(9);
    expect(floor.floorFor(513)).toBe(9);
    expect(floor.floorFor(512)).toBe(0);
    expect(floor.floorFor(1)).toBe(2);
  });

  it('forgets an answer after a hundred more of its class, so a path that got slower stops looking late', () => {
    const floor = new AnswerFloor();
    floor.record(1000, 5);
    for (let i = 0; i < 99; i++) floor.record(1000, 50);
    expect(floor.floorFor(1000)).toBe(5);
    floor.record(1000, 50);
    expect(floor.floorFor(1000)).toBe(50);
  });

  it('ignores a time that is not one (negative, NaN)', () => {
    const floor = new AnswerFloor();
    floor.record(1000, 20);
    floor.record(1000, -1);
    floor.record(1000, Number.NaN);
    expect(floor.floorFor(1000)).toBe(20);
  });
});
