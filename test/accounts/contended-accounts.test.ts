import { describe, expect, it } from 'vitest';
import { CONTENDED_FOR_MS, ContendedAccounts } from '../../src/accounts/contended-accounts.js';

describe('accounts found busy lately', () => {
  it('holds an account found busy for CONTENDED_FOR_MS after it was last found so', () => {
    const contended = new ContendedAccounts();
    expect(contended.mayBeBusy('a', 0)).toBe(false);
    contended.foundBusy('a', 1000);
    expect(contended.mayBeBusy('a', 1000 + CONTENDED_FOR_MS - 1)).toBe(true);
    contended.foundBusy('a', 5000);
    expect(contended.mayBeBusy('a', 1000 + CONTENDED_FOR_MS)).toBe(true);
    expect(contended.mayBeBusy('a', 5000 + CONTENDED_FOR_MS)).toBe(false);
    expect(contended.mayBeBusy('a', 5000)).toBe(false);
  });

  it('forgets an account let go with nobody waiting, and the longest unseen beyond its bound', () => {
    const contended = new ContendedAccounts();
    contended.foundBusy('let-go', 0);
    contended.letGoUnwaited('let-go');
    expect(contended.mayBeBusy('let-go', 1)).toBe(false);
    for (let i = 0; i <= 10_000; i++) contended.foundBusy(`acct-${i}`, 10);
    // Seen again, so no longer the longest unseen.
    contended.foundBusy('acct-1', 11);
    contended.foundBusy('one-more', 12);
    expect(contended.mayBeBusy('acct-0', 20)).toBe(false);
    expect(contended.mayBeBusy('acct-1', 20)).toBe(true);
    expect(contended.mayBeBusy('acct-2', 20)).toBe(false);
    expect(contended.mayBeBusy('acct-3', 20)).toBe(true);
    expect(contended.mayBeBusy('one-more', 20)).toBe(true);
  });
});
