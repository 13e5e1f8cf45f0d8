--[[
  Marks a request cancelled, if Redis knows it (a cancel must not create the status of a request
  that never was, or one that expired, without a TTL).
  KEYS[1] request hash
  Returns the request's hash fields `jobIdStem` and `jobs` (to find its jobs), or false when unknown.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSET', KEYS[1], 'cancelled', '1')
return redis.call('HMGET', KEYS[1], 'jobIdStem', 'jobs')
