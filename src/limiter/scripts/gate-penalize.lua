--[[
  TIM answered 60007 (frequency): halve this SDKAppID's rate for every worker. The rate then
  climbs back by a tenth of the limit per climb step without a new 60007 (see gate-reserve.lua).
  Penalties closer than one second apart count once: the calls already in flight when the first
  60007 came would otherwise halve the rate again and again for a single excess.

  KEYS[1] gate hash; ARGV[1] limit per second, ARGV[2] climb step ms, ARGV[3] ttl ms
  Returns the new rate (text).
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local limit = tonumber(ARGV[1])
local rate = limit
local prate = redis.call('HGET', KEYS[1], 'prate')
local pat = tonumber(redis.call('HGET', KEYS[1], 'pat') or 0)
if prate then
  if now - pat < 1000 then return prate end
  local steps = math.floor((now - pat) / tonumber(ARGV[2]))
  rate = math.min(limit, tonumber(prate) + steps * limit * 0.1)
end
local halved = math.max(1, rate / 2)
redis.call('HSET', KEYS[1], 'prate', tostring(halved), 'pat', string.format('%.3f', now))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return tostring(halved)
