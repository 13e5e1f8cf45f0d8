--[[
  Reserves the next send slot of one SDKAppID: GCRA with no burst, i.e. pure spacing. Arrivals
  spaced at least `interval` apart can never put more than 1000/interval calls in any sliding
  second, and only the next free slot (`tat`) has to be remembered, never a log of past calls.
  The clock is Redis TIME, shared by every worker.

  Lost state (the key deleted or evicted mid-run) is treated as the worst case: someone may hold
  a slot as far ahead as the horizon, so the next slot starts there. The limit holds through it.

  KEYS[1] gate hash: tat (next free slot, ms), prate (penalised rate), pat (penalty time)
  ARGV[1] limit per second, ARGV[2] spacing factor (>= 1), ARGV[3] horizon ms,
  ARGV[4] climb step ms, ARGV[5] ttl ms
  Returns { 1, slot, now } when reserved; { 0, wait, now } when the next slot is past the horizon.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local limit = tonumber(ARGV[1])
local horizon = tonumber(ARGV[3])

local rate = limit
local prate = redis.call('HGET', KEYS[1], 'prate')
if prate then
  local pat = tonumber(redis.call('HGET', KEYS[1], 'pat') or now)
  local steps = math.floor((now - pat) / tonumber(ARGV[4]))
  rate = math.min(limit, tonumber(prate) + steps * limit * 0.1)
end
local interval = 1000 / rate * tonumber(ARGV[2])

local tat = redis.call('HGET', KEYS[1], 'tat')
if tat then tat = tonumber(tat) else tat = now + horizon end
if tat < now then tat = now end
if tat - now > horizon then
  return { 0, tostring(tat - now), tostring(now) }
end
redis.call('HSET', KEYS[1], 'tat', string.format('%.3f', tat + interval))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return { 1, string.format('%.3f', tat), string.format('%.3f', now) }
