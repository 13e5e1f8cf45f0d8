--[[
  Reserves the next send slot of one SDKAppID: a sliding-window log on Redis's clock (TIME),
  shared by every worker. The log is a sorted set: member = the slot as granted, score = the time
  it counts from. That is the slot itself until its caller reports when the call really left
  (tim-rate-gate.ts: ZADD XX GT moves the entry to the send), so the window is measured from
  sends, not from slots. A new slot is
    - at least `window` (1000 ms + the jitter margin) after the n-th latest entry, n = the rate:
      so no `window` of sends, and therefore no second of arrivals, holds more than n calls;
    - at least `gap` after the latest slot granted (the hash's `last`): a little under 1000/rate,
      so the stream stays smooth and still catches up on a slot somebody gave back;
    - no earlier than `grace` before now. A slot nobody asked for in time may still be taken that
      late (its send is reported like any other): otherwise every late ask would push the slot to
      now, and the window that follows would carry the delay for good.

  Lost state (the log deleted or evicted mid-run) is the worst case: it is rebuilt as the densest
  past that could have been, n slots `gap` apart ending a horizon ahead (the furthest anyone may
  hold a slot). The limit holds through it at the cost of a pause of about a quarter second.

  KEYS[1] gate hash: prate (penalised rate), pat (penalty time), last (latest slot granted);
  KEYS[2] the slot log (zset)
  ARGV[1] limit per second, ARGV[2] jitter margin ms, ARGV[3] gap factor (< 1),
  ARGV[4] horizon ms, ARGV[5] climb step ms, ARGV[6] ttl ms, ARGV[7] grace ms
  Returns { 1, slot, now } when reserved; { 0, wait, now } when the next slot is past the horizon.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local limit = tonumber(ARGV[1])
local window = 1000 + tonumber(ARGV[2])
local horizon = tonumber(ARGV[4])

local rate = limit
local prate = redis.call('HGET', KEYS[1], 'prate')
if prate then
  local pat = tonumber(redis.call('HGET', KEYS[1], 'pat') or now)
  local steps = math.floor((now - pat) / tonumber(ARGV[5]))
  rate = math.min(limit, tonumber(prate) + steps * limit * 0.1)
end
local n = math.max(1, math.floor(rate))
local gap = 1000 / rate * tonumber(ARGV[3])

local len = redis.call('ZCARD', KEYS[2])
if len == 0 then
  for k = n - 1, 0, -1 do
    local at = now + horizon - k * gap
    -- Rebuilt entries are named apart from granted slots: no report can ever move them.
    redis.call('ZADD', KEYS[2], at, string.format('rebuilt:%.3f', at))
  end
  len = n
end

local function latest(k)
  return tonumber(redis.call('ZRANGE', KEYS[2], -k, -k, 'WITHSCORES')[2])
end

-- The least gap counts from the latest slot granted, not from a send reported late: the gap only
-- smooths the stream, the window rule holds the limit.
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '') or latest(1)
local slot = math.max(now - tonumber(ARGV[7]), last + gap)
if len >= n then
  slot = math.max(slot, latest(n) + window)
end
if slot - now > horizon then
  return { 0, tostring(slot - now), tostring(now) }
end
local reserved = string.format('%.3f', slot)
redis.call('ZADD', KEYS[2], slot, reserved)
-- The widest window ever needed is the full limit's.
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -math.max(1, math.floor(limit)) - 1)
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('HSET', KEYS[1], 'last', reserved)
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return { 1, reserved, string.format('%.3f', now) }
