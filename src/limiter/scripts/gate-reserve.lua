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
  That past is one member, `rebuilt:<n>:<gap>` scored by its latest slot, that stands for all n:
  written out, the n entries held Redis 489 ms at TIM_RATE_PER_SEC 100000 (docs/benchmarks.md,
  seventeenth sitting), every worker waiting. Every slot granted after it is later than its
  latest (the first is at least a window past its earliest, and n gaps are under a window), so it
  is always the log's first member, and the k-th latest entry is a granted slot while k is at most
  their count, else one of the past's. The trim below drops it once the log holds `limit` slots
  besides it, by when no window reaches back to it.

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
  -- Named apart from granted slots: no report can ever move it.
  redis.call('ZADD', KEYS[2], now + horizon, string.format('rebuilt:%d:%.17g', n, gap))
  len = 1
end

-- The rebuilt past, if the log still holds it: how many slots it stands for, their gap, the latest.
local past = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
local pastCount, pastGap = string.match(past[1], '^rebuilt:(%d+):(.+)$')
local pastEnd = tonumber(past[2])
pastCount, pastGap = tonumber(pastCount), tonumber(pastGap)
local granted = pastCount and len - 1 or len
if pastCount then len = granted + pastCount end

local function latest(k)
  if k <= granted then return tonumber(redis.call('ZRANGE', KEYS[2], -k, -k, 'WITHSCORES')[2]) end
  return pastEnd - (k - granted - 1) * pastGap
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
