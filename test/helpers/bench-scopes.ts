import { afterEach } from 'vitest';
import { Scope } from '../../bench/lib/scope.js';

/**
 * For a test file of the bench's parts: opens bench scopes (their own key prefix on the real
 * Redis), each closed, and its prefix deleted, after the test that opened it.
 */
export function benchScopes(): (name: string) => Scope {
  const open: Scope[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  return (name) => {
    const scope = new Scope(name);
    open.push(scope);
    return scope;
  };
}
