import { describe, expect, it } from 'vitest';
import { useRedisPrefix } from '../helpers/redis-prefix.js';
import { reindexAccounts } from '../../src/accounts/reindex-accounts.js';
import { listAccounts } from '../../src/accounts/account-index.js';
import { AccountStates } from '../../src/accounts/account-state.js';

describe('reindexAccounts: state written before the indexes existed', () => {
  const db = useRedisPrefix('reindex');

  it('indexes paused, parked, resting and locked accounts and unregistered GeWe ones, once', async () => {
    const now = Date.now();
    const acct = (provider: string, account: string) => `${db.prefix}:fa:acct:${provider}:${account}`;
    // As an earlier version wrote them: the hashes alone.
    await db.redis.hset(acct('tim', 'old_paused'), 'paused', '1');
    await db.redis.hset(acct('gewe', 'wx_old'), 'parked', '1', 'parkedReason', 'offline');
    await db.redis.hset(acct('tim', 'old_resting'), 'restUntil', String(now + 60_000), 'strikes', '1');
    await db.redis.hset(acct('tim', 'rested'), 'restUntil', String(now - 60_000));
    await db.redis.hset(acct('tim', 'old_locked'), 'lockedUntil', String(now + 3_600_000));
    await db.redis.sadd(`${acct('tim', 'old_paused')}:held`, 'job-1');
    await db.redis.sadd(db.keys.geweUnregistered(), 'wx_unreg');
    // Another deployment's account under a prefix that merely starts the same way: not ours.
    await db.redis.hset(`${db.prefix}x:fa:acct:tim:zed`, 'paused', '1');
    try {
      const first = await reindexAccounts(db.redis, db.keys, now);
      expect(first).toEqual({ accounts: 5, added: 5 });
      const page = await listAccounts(db.redis, db.keys, { offset: 0, limit: 100 }, now);
      expect(page.accounts.map((a) => `${a.provider}:${a.state}:${a.account}`)).toEqual([
        'tim:resting:old_resting',
        'tim:locked:old_locked',
        'tim:paused:old_paused',
        'gewe:parked:wx_old',
        'gewe:unregistered:wx_unreg',
      ]);
      expect(await reindexAccounts(db.redis, db.keys, now)).toEqual({ accounts: 5, added: 0 });
      // And the states keep them from here: a resume takes the account out.
      await new AccountStates(db.redis, db.keys).resume('tim', 'old_paused');
      expect((await listAccounts(db.redis, db.keys, { state: 'paused', offset: 0, limit: 10 }, now)).total).toBe(0);
    } finally {
      await db.redis.del(`${db.prefix}x:fa:acct:tim:zed`);
    }
  });
});
