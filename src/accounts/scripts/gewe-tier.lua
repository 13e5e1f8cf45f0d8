--[[
  When a GeWe account came online, read on every pass of its jobs; an account that nobody
  registered is noted at the same time (in the set, and in the index by first seen), in one round
  trip rather than a read and then a write.

  KEYS[1] accounts hash (appId → onlineSince ms), KEYS[2] unregistered set,
  KEYS[3] unregistered index (sorted set, score: first seen)
  ARGV[1] appId, ARGV[2] now ms
  Returns onlineSince (text), or false when the account is not registered.
]]
local since = redis.call('HGET', KEYS[1], ARGV[1])
if since then return since end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], 'NX', ARGV[2], ARGV[1])
return false
