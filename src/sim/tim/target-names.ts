import { TIM } from './codes.js';

/**
 * What a To_Account's name makes the simulator do (prefix match; anything else is added).
 * `flaky` names answer `code` for their first `times` calls of a (From_Account, To_Account) pair,
 * then add: `transient<N>_` 30505, `conflict<N>_` 30544, `task<N>_` 30543, `strike<N>_` 30540.
 */
export type TargetBehaviour =
  | { kind: 'ok' }
  | { kind: 'pending' }
  | { kind: 'friend' }
  | { kind: 'exist' }
  | { kind: 'black' }
  | { kind: 'deny' }
  | { kind: 'noacct' }
  | { kind: 'missing' }
  | { kind: 'flaky'; code: number; times: number }
  | { kind: 'unknown' }
  | { kind: 'hang' }
  | { kind: 'slow'; ms: number }
  | { kind: 'confirm' };

const PLAIN: readonly [string, TargetBehaviour][] = [
  ['ok', { kind: 'ok' }],
  ['pending', { kind: 'pending' }],
  ['friend', { kind: 'friend' }],
  ['exist', { kind: 'exist' }],
  ['black', { kind: 'black' }],
  ['deny', { kind: 'deny' }],
  ['noacct', { kind: 'noacct' }],
  ['missing', { kind: 'missing' }],
  ['unknown', { kind: 'unknown' }],
  ['hang', { kind: 'hang' }],
  ['confirm', { kind: 'confirm' }],
];

const FLAKY = /^(transient|conflict|task|strike)(\d+)_/;
const FLAKY_CODES: Record<string, number> = {
  transient: TIM.TASK_ERROR,
  conflict: TIM.FRIENDS_WRITE_CONFLICT,
  task: TIM.PENDING_WRITE_CONFLICT,
  strike: TIM.STRIKE,
};
const SLOW = /^slow(\d+)_/;
const OK: TargetBehaviour = { kind: 'ok' };

export function targetBehaviour(name: string): TargetBehaviour {
  // An empty identifier cannot name an account.
  if (name === '') return { kind: 'noacct' };
  for (const [prefix, behaviour] of PLAIN) if (name.startsWith(prefix)) return behaviour;
  const flaky = FLAKY.exec(name);
  if (flaky) return { kind: 'flaky', code: FLAKY_CODES[flaky[1]!]!, times: Number(flaky[2]) };
  const slow = SLOW.exec(name);
  if (slow) return { kind: 'slow', ms: Number(slow[1]) };
  return OK;
}

/**
 * What a From_Account's name makes the simulator do to the whole call: `banned…` is refused
 * (30545) every time; `strikeall…` is struck (30540) on its first call, then served normally.
 */
export type AccountBehaviour = 'banned' | 'strikeall' | 'normal';

export function accountBehaviour(name: string): AccountBehaviour {
  if (name.startsWith('banned')) return 'banned';
  if (name.startsWith('strikeall')) return 'strikeall';
  return 'normal';
}
