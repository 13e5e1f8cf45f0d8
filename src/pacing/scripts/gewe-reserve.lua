--[[
  Reserves a GeWe account's next call slot in one lane (adds, or accepts and rejects), in arrival
  order (FIFO per account and lane): the slot is the later of now, the lane's next free time and
  the job's own not-before (a retry's backoff). The next free time moves on by the lane's interval
  plus a random extra. A job keeps its reservation across crashes and restarts: asking again
  returns the same slot.

  Lost pacing state (this hash deleted or expired) falls back to the lane's last send kept on the
  account's own hash, so that a deletion never lets two calls of a lane come closer than an interval.

  KEYS[1] pace hash, KEYS[2] account hash
  ARGV[1] job state id, ARGV[2] now ms, ARGV[3] interval ms, ARGV[4] jitter fraction,
  ARGV[5] random in [0,1), ARGV[6] not-before ms, ARGV[7] the lane's next-free field,
  ARGV[8] the lane's last-sent field
  Returns the slot (ms, text).
]]
local field = 'r:' .. ARGV[1]
local existing = redis.call('HGET', KEYS[1], field)
if existing then return existing end
local interval = tonumber(ARGV[3])
local nextFree = tonumber(redis.call('HGET', KEYS[1], ARGV[7]) or 0)
if nextFree == 0 then
  local lastSent = tonumber(redis.call('HGET', KEYS[2], ARGV[8]) or 0)
  if lastSent > 0 then nextFree = lastSent + interval end
end
local slot = math.max(tonumber(ARGV[2]), nextFree, tonumber(ARGV[6]))
local after = slot + interval * (1 + tonumber(ARGV[4]) * tonumber(ARGV[5]))
redis.call('HSET', KEYS[1], ARGV[7], string.format('%d', after), field, string.format('%d', slot))
redis.call('PEXPIRE', KEYS[1], 7 * 86400000)
return string.format('%d', slot)
