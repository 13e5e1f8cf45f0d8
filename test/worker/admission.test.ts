import { describe, expect, it } from 'vitest';
import { Admission, admissionWidth, type Admitted } from '../../src/worker/admission.js';
import { waitFor } from '../helpers/wait-for.js';

// Every way out of a TIM job leaves its place: the worker tests that run with WORKER_CONCURRENCY 1
// (a width of 1) would stall on the first job that did not (drain-and-waits.test.ts).
describe('Admission: how many jobs of a process prepare a call at once', () => {
  it('lets in at most its width, first come first served', async () => {
    const admission = new Admission(2);
    const order: number[] = [];
    const places: Admitted[] = [];
    for (let i = 0; i < 5; i++)
      void admission.enter().then((p) => {
        order.push(i);
        places.push(p);
      });
    await waitFor('the first two to be let in', () => order.length === 2);
    // Nobody else gets in while both places are held.
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1]);
    places[0]!.leave();
    await waitFor('the third to be let in', () => order.length === 3);
    places[1]!.leave();
    places[2]!.leave();
    await waitFor('the rest to be let in', () => order.length === 5);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('frees one place however often a job leaves it', async () => {
    const admission = new Admission(1);
    const first = await admission.enter();
    let secondIn = false;
    let thirdIn = false;
    const second = admission.enter().then((p) => {
      secondIn = true;
      return p;
    });
    void admission.enter().then(() => (thirdIn = true));
    first.leave();
    first.leave();
    await second;
    await new Promise((r) => setImmediate(r));
    expect(secondIn).toBe(true);
    expect(thirdIn).toBe(false);
  });

  it('is wide enough for the full rate, and no wider than the concurrency', () => {
    expect(admissionWidth(100, 50)).toBe(16);
    expect(admissionWidth(100, 10)).toBe(10);
    expect(admissionWidth(5, 50)).toBe(4);
    expect(admissionWidth(1000, 200)).toBe(160);
    expect(admissionWidth(100, 1)).toBe(1);
  });
});
