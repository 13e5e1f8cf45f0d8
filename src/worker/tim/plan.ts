import type { TimJob, TimTarget } from '../../providers/tim/schema.js';
import { targetLimitProblem } from '../../providers/tim/schema.js';
import type { TargetResult } from '../../domain/types.js';

/** A TIM job made ready for calls: its callable targets, and those refused before any call. */
export interface TimPlan {
  /** Callable targets by toAccount, in the job's order, each named once. */
  targets: Map<string, TimTarget>;
  /** Targets that break TIM's byte limits: refused alone, the rest go ahead. */
  refused: TargetResult[];
  /** Every distinct target of the job. */
  count: number;
}

export function planTimJob(job: TimJob): TimPlan {
  const targets = new Map<string, TimTarget>();
  const refused: TargetResult[] = [];
  // One pass, the first occurrence of a name winning (as dedupeTargets): the callable ones are
  // told apart by the Map itself, the refused (rare) by a Set of their own.
  const refusedNames = new Set<string>();
  let finishedAt: string | undefined;
  for (const target of job.targets) {
    const name = target.toAccount;
    if (targets.has(name) || refusedNames.has(name)) continue;
    const problem = targetLimitProblem(target);
    if (!problem) {
      targets.set(name, target);
      continue;
    }
    refusedNames.add(name);
    finishedAt ??= new Date().toISOString();
    const info = `${problem.field}: ${problem.message}`;
    refused.push({ target: name, outcome: 'refused', code: 'invalid_input', info, attempts: 0, finishedAt });
  }
  return { targets, refused, count: targets.size + refused.length };
}

/**
 * The next call's targets: open ones never tried (or tried without using an attempt) go at once;
 * those waiting for a retry go once `retryAt` has passed. At most `chunk` per call.
 */
export function pickBatch(open: readonly string[], attempts: ReadonlyMap<string, number>, retryDue: boolean, chunk: number): string[] {
  const ready = retryDue ? open : open.filter((t) => (attempts.get(t) ?? 0) === 0);
  return ready.slice(0, chunk);
}
