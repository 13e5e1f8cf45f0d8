--[[
  Records a security strike on an account and rests it: the rest doubles with each strike in a
  row (base, 2×base, 4×base..., at most 64×base). At the max-th strike in a row the account is
  locked out instead: its targets end failed until the lockout ends (or an operator resumes it),
  and the run of strikes starts again after it. Held in Redis, so every worker respects it.
  The `resting` and `locked` indexes (scored by when each ends) move with it, in the same step.
  KEYS[1] account hash, KEYS[2] resting index, KEYS[3] locked index
  ARGV[1] base rest ms, ARGV[2] now ms, ARGV[3] the strike's code,
  ARGV[4] strikes in a row that lock the account out, ARGV[5] lockout ms, ARGV[6] the account
  Returns { strikes in a row, rest until ms, locked until ms (0: not locked) }.
]]
local now = tonumber(ARGV[2])
local strikes = redis.call('HINCRBY', KEYS[1], 'strikes', 1)
local factor = 2 ^ math.min(strikes - 1, 6)
local untilMs = now + tonumber(ARGV[1]) * factor
redis.call('HSET', KEYS[1], 'restUntil', string.format('%d', untilMs), 'strikeCode', ARGV[3])
local lockedUntil = 0
if strikes >= tonumber(ARGV[4]) then
  lockedUntil = now + tonumber(ARGV[5])
  redis.call('HSET', KEYS[1], 'lockedUntil', string.format('%d', lockedUntil), 'lockedStrikes', strikes)
  redis.call('HDEL', KEYS[1], 'strikes', 'restUntil')
  redis.call('ZREM', KEYS[2], ARGV[6])
  redis.call('ZADD', KEYS[3], string.format('%d', lockedUntil), ARGV[6])
  untilMs = now
else
  redis.call('ZADD', KEYS[2], string.format('%d', untilMs), ARGV[6])
end
return { strikes, string.format('%d', untilMs), string.format('%d', lockedUntil) }
