--[[
  Takes an account's lease (one call in flight per account, across all workers), or joins the
  account's waiters in arrival order, so that the holder can wake the first waiter on release.
  KEYS[1] lease, KEYS[2] waiters zset; ARGV[1] token, ARGV[2] lease ms, ARGV[3] waiter id, ARGV[4] now ms
  Returns 1 when the lease is ours, else 0.
]]
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('ZREM', KEYS[2], ARGV[3])
  return 1
end
redis.call('ZADD', KEYS[2], 'NX', ARGV[4], ARGV[3])
redis.call('PEXPIRE', KEYS[2], 86400000)
return 0
