--[[
  Takes an account's lease (one call in flight per account, across all workers), or joins the
  account's waiters in the order their work was queued (ARGV[4]; ties by waiter id), so that the
  holder can wake the first waiter on release.
  With ARGV[5] = 'peek' it only looks: a busy account adds the waiter, a free one is not taken.

  Taking also checks the account's state, atomically with the lease: a job decides to call on the
  state it read before, and another job's call of the account may have ended since with a strike
  (its holder records it before letting go), or an operator paused it. A free account that must
  not be called now (paused, parked, resting, locked out, disabled) is not taken: the caller
  reads the state again. Times are the caller's clock (ARGV[6]), as its own checks use.

  KEYS[1] lease, KEYS[2] waiters zset, KEYS[3] the account's state hash (take only)
  ARGV[1] token, ARGV[2] lease ms, ARGV[3] waiter id, ARGV[4] queued at (ms), ARGV[5] 'take' or 'peek',
  ARGV[6] now (ms; take only)
  Returns { 'taken', 1 when the account has a run of strikes on record else 0 } when the lease is
  ours, 0 when free but only peeked at, { 'blocked' } when free but the account must not be called
  now, else -(1 + the waiter's rank).
]]
local busy = redis.call('EXISTS', KEYS[1]) == 1
if not busy then
  if ARGV[5] == 'peek' then return 0 end
  local now = tonumber(ARGV[6])
  local s = redis.call('HMGET', KEYS[3], 'paused', 'parked', 'restUntil', 'lockedUntil', 'disabledUntil', 'strikes')
  if s[1] == '1' or s[2] == '1' or tonumber(s[3] or 0) > now or tonumber(s[4] or 0) > now or tonumber(s[5] or 0) > now then
    return { 'blocked' }
  end
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('ZREM', KEYS[2], ARGV[3])
  -- Only the holder's call records a strike: while held, a clean account stays clean.
  local struck = (tonumber(s[6] or 0) > 0 or s[3]) and 1 or 0
  return { 'taken', struck }
end
redis.call('ZADD', KEYS[2], 'NX', ARGV[4], ARGV[3])
redis.call('PEXPIRE', KEYS[2], 86400000)
return -1 - redis.call('ZRANK', KEYS[2], ARGV[3])
