--[[
  Registers one input job with its request, once. Idempotent: the job's state hash remembers that
  it was counted, so the library (at submit) and the worker (at first sight) may both call it.
  KEYS[1] job state hash, KEYS[2] request hash, KEYS[3] request results list
  ARGV[1] target count, ARGV[2] ttl ms, ARGV[3] now (ISO text)
  Returns the request's `cancelled` field (or false).
]]
if redis.call('HSETNX', KEYS[1], 'init', ARGV[3]) == 1 then
  redis.call('HINCRBY', KEYS[2], 'total', ARGV[1])
  redis.call('HINCRBY', KEYS[2], 'open', ARGV[1])
  redis.call('HINCRBY', KEYS[2], 'jobs', 1)
  redis.call('HSETNX', KEYS[2], 'createdAt', ARGV[3])
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
return redis.call('HGET', KEYS[2], 'cancelled')
