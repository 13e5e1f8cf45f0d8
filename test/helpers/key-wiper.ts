import type { RedisClient } from '../../src/lib/redis-client.js';

/**
 * Deletes the named keys every `everyMs` while a run goes on: a limiter or pacer losing its state
 * (an eviction, a FLUSH, a failover to a stale replica). The names are exact, so no SCAN walks a
 * Redis that other runs share. `stop` resolves with how many keys it found and deleted.
 */
export function wipeKeysRepeatedly(redis: RedisClient, keyNames: () => string[], everyMs: number) {
  let deleted = 0;
  let sweeps = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const names = keyNames();
    void redis
      .del(...names)
      .then((n) => {
        deleted += n;
        sweeps += 1;
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);
  return {
    stop: async (): Promise<{ deleted: number; sweeps: number }> => {
      clearInterval(timer);
      while (busy) await new Promise((r) => setTimeout(r, 10));
      return { deleted, sweeps };
    },
  };
}
