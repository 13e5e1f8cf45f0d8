--[[
  Extends an account's lease while its call is in flight, if it is still ours.
  KEYS[1] lease; ARGV[1] token, ARGV[2] lease ms. Returns 1 if renewed.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
