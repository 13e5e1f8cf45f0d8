--[[
  Gives an account's lease back if it is still ours, and names the first waiter to wake.
  KEYS[1] lease, KEYS[2] waiters zset; ARGV[1] token
  Returns the first waiter's id, or false.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
end
local first = redis.call('ZRANGE', KEYS[2], 0, 0)
return first[1] or false
