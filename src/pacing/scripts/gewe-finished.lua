--[[
  A GeWe call of this account's lane has ended (answered, failed or timed out). Its arrival at
  GeWe came before this moment, so spacing the lane's next send from here, not from the moment
  the send was approved, keeps the gap at arrival at least the interval however late the send
  went out.
  KEYS[1] pace hash, KEYS[2] account hash; ARGV[1] now ms, ARGV[2] the lane's last-sent field
]]
local stamp = ARGV[1]
for i = 1, 2 do
  local last = tonumber(redis.call('HGET', KEYS[i], ARGV[2]) or 0)
  if tonumber(stamp) > last then redis.call('HSET', KEYS[i], ARGV[2], stamp) end
end
return 1
