--[[
  Records a security strike on an account and rests it: the rest doubles with each strike in a
  row (base, 2×base, 4×base..., at most 64×base). Held in Redis, so every worker respects it.
  KEYS[1] account hash; ARGV[1] base rest ms, ARGV[2] now ms, ARGV[3] the strike's code
  Returns { strikes in a row, rest until ms }.
]]
local strikes = redis.call('HINCRBY', KEYS[1], 'strikes', 1)
local factor = 2 ^ math.min(strikes - 1, 6)
local untilMs = tonumber(ARGV[2]) + tonumber(ARGV[1]) * factor
redis.call('HSET', KEYS[1], 'restUntil', string.format('%d', untilMs), 'strikeCode', ARGV[3])
return { strikes, string.format('%d', untilMs) }
