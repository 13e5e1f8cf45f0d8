--[[
  Records what one call taught us, atomically: final results (each target once only, whatever
  retries or crashes came before), attempt counts and last answers, and an outbox entry holding
  the new finals as one result batch, to be published to `friend-add-results` afterwards.
  A worker killed after this script and before publishing loses nothing: the next run publishes
  the outbox with the same deterministic result job id.

  Refused (LOSTLOCK) when the job's BullMQ lock no longer holds the worker's token: a worker that
  lost its job (stalled and taken over, or lost with Redis's last second) must not write for it.

  KEYS[1] job state hash, KEYS[2] outbox hash, KEYS[3] request hash, KEYS[4] request results list,
  KEYS[5] the job's BullMQ lock
  ARGV[1] lock token ('' when the caller holds no lock)
  ARGV[2] batch JSON head, e.g. {"requestId":"r","provider":"tim","account":"a","results":[
  ARGV[3] ttl ms
  ARGV[4] n finals, then n triples: target, outcome, result JSON
  then m, then m triples: target, attempts, last-answer JSON (for open targets)
  then k, then k pairs of job fields to set: name, value
  Returns { batch sequence or 0, finals newly recorded }
]]
if ARGV[1] ~= '' and redis.call('GET', KEYS[5]) ~= ARGV[1] then
  return redis.error_reply('LOSTLOCK the job is no longer held by this worker')
end
local idx = 5
local n = tonumber(ARGV[4])
local fresh = {}
for _ = 1, n do
  local target, outcome, json = ARGV[idx], ARGV[idx + 1], ARGV[idx + 2]
  idx = idx + 3
  -- The job's hash keeps only the outcome; the result itself goes to the outbox and the request.
  if redis.call('HSETNX', KEYS[1], 'f:' .. target, outcome) == 1 then
    fresh[#fresh + 1] = json
    redis.call('HINCRBY', KEYS[3], 'o:' .. outcome, 1)
    redis.call('HINCRBY', KEYS[3], 'open', -1)
    redis.call('RPUSH', KEYS[4], json)
  end
end

local m = tonumber(ARGV[idx])
idx = idx + 1
for _ = 1, m do
  local target = ARGV[idx]
  redis.call('HSET', KEYS[1], 'a:' .. target, ARGV[idx + 1], 'l:' .. target, ARGV[idx + 2])
  idx = idx + 3
end

local k = tonumber(ARGV[idx])
idx = idx + 1
for _ = 1, k do
  redis.call('HSET', KEYS[1], ARGV[idx], ARGV[idx + 1])
  idx = idx + 2
end

local seq = 0
if #fresh > 0 then
  seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  redis.call('HSET', KEYS[2], seq, ARGV[2] .. table.concat(fresh, ',') .. ']}')
end
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
return { seq, #fresh }
