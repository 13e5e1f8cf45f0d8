--[[
  Takes an account's lease (one call in flight per account, across all workers), or joins the
  account's waiters in the order their work was queued (ARGV[4]; ties by waiter id), so that the
  holder can wake the first waiter on release.
  With ARGV[5] = 'peek' it only looks: a busy account adds the waiter, a free one is not taken.
  KEYS[1] lease, KEYS[2] waiters zset
  ARGV[1] token, ARGV[2] lease ms, ARGV[3] waiter id, ARGV[4] queued at (ms), ARGV[5] 'take' or 'peek'
  Returns 1 when the lease is ours, 0 when free but only peeked at, else -(1 + the waiter's rank).
]]
local busy = redis.call('EXISTS', KEYS[1]) == 1
if not busy then
  if ARGV[5] == 'peek' then return 0 end
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('ZREM', KEYS[2], ARGV[3])
  return 1
end
redis.call('ZADD', KEYS[2], 'NX', ARGV[4], ARGV[3])
redis.call('PEXPIRE', KEYS[2], 86400000)
return -1 - redis.call('ZRANK', KEYS[2], ARGV[3])
