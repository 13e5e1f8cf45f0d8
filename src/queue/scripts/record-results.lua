--[[
  Records what one call taught us, atomically: final results (each target once only, whatever
  retries or crashes came before), attempt counts and last answers, and an outbox entry holding
  the new finals as one result batch, to be published to `friend-add-results` afterwards.
  A worker killed after this script and before publishing loses nothing: the next run publishes
  the outbox with the same deterministic result job id.

  KEYS[1] job state hash, KEYS[2] outbox hash, KEYS[3] request hash, KEYS[4] request results list
  ARGV[1] batch JSON head, e.g. {"requestId":"r","provider":"tim","account":"a","results":[
  ARGV[2] ttl ms
  ARGV[3] n finals, then n triples: target, outcome, result JSON
  then m, then m triples: target, attempts, last-answer JSON (for open targets)
  then k, then k pairs of job fields to set: name, value
  Returns { batch sequence or 0, finals newly recorded }
]]
local idx = 4
local n = tonumber(ARGV[3])
local fresh = {}
for _ = 1, n do
  local target, outcome, json = ARGV[idx], ARGV[idx + 1], ARGV[idx + 2]
  idx = idx + 3
  if redis.call('HSETNX', KEYS[1], 'f:' .. target, json) == 1 then
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
  redis.call('HSET', KEYS[2], seq, ARGV[1] .. table.concat(fresh, ',') .. ']}')
end
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
return { seq, #fresh }
