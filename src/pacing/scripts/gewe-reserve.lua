--[[
  Reserves a GeWe account's next call slot in one lane (adds, or accepts and rejects), in arrival
  order (FIFO per account and lane): the slot is the later of now, the lane's next free time and
  the job's own not-before (a retry's backoff). The next free time moves on by the tier's interval
  plus a random extra. A job keeps its reservation across crashes and restarts: asking again
  returns the same slot.

  The account's tier is read in the same step (one round trip per pass, not two): seasoned when it
  came online by the cutoff, new otherwise; an account that nobody registered is noted (in the set,
  and in the index by first seen) for `accounts unregistered`, as gewe-tier.lua does.

  Lost pacing state (this hash deleted or expired) falls back to the lane's last send kept on the
  account's own hash, so that a deletion never lets two calls of a lane come closer than an interval.

  KEYS[1] pace hash, KEYS[2] account hash, KEYS[3] registry (appId → onlineSince ms),
  KEYS[4] unregistered set, KEYS[5] unregistered index (sorted set, score: first seen)
  ARGV[1] job state id, ARGV[2] now ms, ARGV[3] interval ms when new, ARGV[4] jitter fraction,
  ARGV[5] random in [0,1), ARGV[6] not-before ms, ARGV[7] the lane's next-free field,
  ARGV[8] the lane's last-sent field, ARGV[9] interval ms when seasoned,
  ARGV[10] seasoned when online since at most this (ms), ARGV[11] appId
  Returns {slot (ms, text), 'new' | 'seasoned'}.
]]
local tier = 'new'
local since = redis.call('HGET', KEYS[3], ARGV[11])
if since then
  if tonumber(since) <= tonumber(ARGV[10]) then tier = 'seasoned' end
else
  redis.call('SADD', KEYS[4], ARGV[11])
  redis.call('ZADD', KEYS[5], 'NX', ARGV[2], ARGV[11])
end

local field = 'r:' .. ARGV[1]
local existing = redis.call('HGET', KEYS[1], field)
if existing then return {existing, tier} end
local interval = tonumber(tier == 'seasoned' and ARGV[9] or ARGV[3])
local nextFree = tonumber(redis.call('HGET', KEYS[1], ARGV[7]) or 0)
if nextFree == 0 then
  local lastSent = tonumber(redis.call('HGET', KEYS[2], ARGV[8]) or 0)
  if lastSent > 0 then nextFree = lastSent + interval end
end
local slot = math.max(tonumber(ARGV[2]), nextFree, tonumber(ARGV[6]))
local after = slot + interval * (1 + tonumber(ARGV[4]) * tonumber(ARGV[5]))
redis.call('HSET', KEYS[1], ARGV[7], string.format('%d', after), field, string.format('%d', slot))
redis.call('PEXPIRE', KEYS[1], 7 * 86400000)
return {string.format('%d', slot), tier}
