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
  then, optionally, the confirm index as cjson {stem, outbox, requestId, provider, account,
  refs: {target: ref JSON}} or '' (src/callbacks/confirm-index.ts)
  Returns { batch sequence or 0, finals newly recorded }
]]
if ARGV[1] ~= '' and redis.call('GET', KEYS[5]) ~= ARGV[1] then
  return redis.error_reply('LOSTLOCK the job is no longer held by this worker')
end
-- Redis calls in batches rather than per target: a 1000-target call would otherwise cost 4000
-- calls inside this script, and Redis serves every worker from one thread.
local BATCH = 500
local function inBatches(command, key, list)
  for first = 1, #list, BATCH do
    redis.call(command, key, unpack(list, first, math.min(#list, first + BATCH - 1)))
  end
end

local idx = 5
local n = tonumber(ARGV[4])
local names = {}
for i = 1, n do names[i] = 'f:' .. ARGV[idx + (i - 1) * 3] end
local already = {}
for first = 1, n, BATCH do
  local got = redis.call('HMGET', KEYS[1], unpack(names, first, math.min(n, first + BATCH - 1)))
  for j = 1, #got do already[first + j - 1] = got[j] end
end

local fresh, newFinals, byOutcome, seen = {}, {}, {}, {}
for i = 1, n do
  local target, outcome, json = ARGV[idx], ARGV[idx + 1], ARGV[idx + 2]
  idx = idx + 3
  -- The job's hash keeps only the outcome; the result itself goes to the outbox and the request.
  if not already[i] and not seen[target] then
    seen[target] = true
    fresh[#fresh + 1] = json
    newFinals[#newFinals + 1] = names[i]
    newFinals[#newFinals + 1] = outcome
    byOutcome[outcome] = (byOutcome[outcome] or 0) + 1
  end
end
if #fresh > 0 then
  inBatches('HSET', KEYS[1], newFinals)
  for outcome, count in pairs(byOutcome) do redis.call('HINCRBY', KEYS[3], 'o:' .. outcome, count) end
  redis.call('HINCRBY', KEYS[3], 'open', -#fresh)
  inBatches('RPUSH', KEYS[4], fresh)
end

local m = tonumber(ARGV[idx])
idx = idx + 1
local progress = {}
for _ = 1, m do
  local target = ARGV[idx]
  progress[#progress + 1] = 'a:' .. target
  progress[#progress + 1] = ARGV[idx + 1]
  progress[#progress + 1] = 'l:' .. target
  progress[#progress + 1] = ARGV[idx + 2]
  idx = idx + 3
end
inBatches('HSET', KEYS[1], progress)

local k = tonumber(ARGV[idx])
idx = idx + 1
for _ = 1, k do
  redis.call('HSET', KEYS[1], ARGV[idx], ARGV[idx + 1])
  idx = idx + 2
end

-- Confirmable finals (`requested`, code `unconfirmed`) are indexed by (provider, account, target),
-- so that a provider's callback finds them in O(1) however many requests are kept. One a callback
-- already named (`seen`: it came first) is queued to be confirmed now (src/callbacks/scripts/
-- confirm-target.lua makes the event). Only fresh finals: a result is indexed once.
local spec = ARGV[idx]
if spec and spec ~= '' then
  local c = cjson.decode(spec)
  for target, ref in pairs(c.refs) do
    if seen[target] then
      local key = c.stem .. target
      redis.call('HSET', key, 'r:' .. c.requestId, ref)
      redis.call('PEXPIRE', key, ARGV[3])
      if redis.call('HEXISTS', key, 'seen') == 1 then
        local recheck = { k = 'recheck', provider = c.provider, account = c.account, target = target }
        redis.call('ZADD', c.outbox, 0, cjson.encode(recheck))
      end
    end
  end
end

local seq = 0
if #fresh > 0 then
  seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  redis.call('HSET', KEYS[2], seq, ARGV[2] .. table.concat(fresh, ',') .. ']}')
end
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
return { seq, #fresh }
