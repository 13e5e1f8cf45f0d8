--[[
  Gives an account's lease back if it is still ours, and names the first waiter to wake.
  When someone waits, the lease key is also published on ARGV[2] (lock-releases.ts): a waiter
  that stayed in its worker slot goes on at once, on whichever worker it is.
  KEYS[1] lease, KEYS[2] waiters zset; ARGV[1] token, ARGV[2] channel
  Returns the first waiter's id, or false.
]]
local ours = redis.call('GET', KEYS[1]) == ARGV[1]
if ours then
  redis.call('DEL', KEYS[1])
end
local first = redis.call('ZRANGE', KEYS[2], 0, 0)
if ours and first[1] then
  redis.call('PUBLISH', ARGV[2], KEYS[1])
end
return first[1] or false
