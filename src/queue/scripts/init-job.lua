--[[
  Registers one input job with its request, once. Idempotent: the job's state hash remembers that
  it was counted. A request submitted through the library is counted whole at submit time
  (`preCounted`), so its jobs only join the request's job list here.
  Refused (LOSTLOCK) when the job's BullMQ lock no longer holds the worker's token.
  KEYS[1] job state hash, KEYS[2] request hash, KEYS[3] request results list (as workers before
  the batches wrote it), KEYS[4] request job set, KEYS[5] the job's BullMQ lock, KEYS[6] the
  account's hash, KEYS[7] the job's outbox (both read only), KEYS[8] the request's result batches,
  KEYS[9] their texts
  ARGV[1] target count, ARGV[2] ttl ms, ARGV[3] now (ISO text), ARGV[4] BullMQ job id,
  ARGV[5] lock token ('' when the caller holds no lock)
  Returns { 1 when this run counted the job (its first) else 0, the request's cancelled flag,
  the job's state hash, the account's hash (both as HGETALL gives them), 1 when the outbox holds
  batches not yet published (a run was stopped between recording and publishing) else 0 }: a
  job's pass reads what it decides on in the same round trip as it registers (later turns read
  them again).
]]
if ARGV[5] ~= '' and redis.call('GET', KEYS[5]) ~= ARGV[5] then
  return redis.error_reply('LOSTLOCK the job is no longer held by this worker')
end
local first = redis.call('HSETNX', KEYS[1], 'init', ARGV[3])
if first == 1 then
  if redis.call('HGET', KEYS[2], 'preCounted') ~= '1' then
    redis.call('HINCRBY', KEYS[2], 'total', ARGV[1])
    redis.call('HINCRBY', KEYS[2], 'open', ARGV[1])
    redis.call('HINCRBY', KEYS[2], 'jobs', 1)
  end
  redis.call('HSETNX', KEYS[2], 'createdAt', ARGV[3])
  redis.call('HSET', KEYS[4], ARGV[4], KEYS[1])
end
for _, i in ipairs({ 1, 2, 3, 4, 8, 9 }) do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
local cancelled = redis.call('HGET', KEYS[2], 'cancelled') or ''
return { first, cancelled, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[6]), redis.call('EXISTS', KEYS[7]) }
