--[[
  A GeWe call of this account has ended (answered, failed or timed out). Its arrival at GeWe came
  before this moment, so spacing the next send from here, not from the moment the send was
  approved, keeps the gap at arrival at least the interval however late the send went out.
  KEYS[1] pace hash, KEYS[2] account hash; ARGV[1] now ms
]]
local stamp = ARGV[1]
for i = 1, 2 do
  local last = tonumber(redis.call('HGET', KEYS[i], 'lastSent') or 0)
  if tonumber(stamp) > last then redis.call('HSET', KEYS[i], 'lastSent', stamp) end
end
return 1
