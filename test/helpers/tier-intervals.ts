import type { TierIntervals } from '../../src/pacing/gewe-pacer.js';

/** One interval whatever the account's tier: for pacer tests that are not about tiers. */
export function sameForBothTiers(ms: number): TierIntervals {
  return { newMs: ms, seasonedMs: ms, seasonedIfOnlineBy: 0 };
}
