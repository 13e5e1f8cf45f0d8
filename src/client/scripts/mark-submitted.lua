--[[
  Notes that every job of a library submit was added, but only under the mark it was added for:
  after a Redis crash that lost the mark, a resent "submitted" must not stand alone.
  KEYS[1] request hash; ARGV[1] content hash, ARGV[2] ttl ms. Returns 1 when noted.
]]
if redis.call('HGET', KEYS[1], 'contentHash') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'submitted', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
