--[[
  A provider said (provider, account, target) are friends now. Atomically: note that it was said
  (`seen`, kept so that a result recorded later still finds it), and for every confirmable result
  of the pair not yet confirmed, make one `confirmed` event: in the outbox (to be published to
  `friend-add-events` and the webhook), in the request's event list and the recent list, and in the
  request's `confirmed` count. `c:<requestId>` is the de-dup mark: one event per (request, target),
  whatever repeats. Costs a handful of commands on keys of this pair only: O(1) in the backlog.

  Request keys are built here from ARGV's `base` (`<prefix>:fa`), as the request ids are known only
  once the pair's hash is read; a hash-tag prefix keeps them in this slot on a Redis Cluster.

  KEYS[1] the pair's pending hash, KEYS[2] the outbox (zset), KEYS[3] the recent events (list)
  ARGV[1] cjson {base, provider, account, target, atMs, atIso, via, markSeen, ttlMs, seenAloneTtlMs, recentMax}
  Returns the number of events made.
]]
local a = cjson.decode(ARGV[1])
local pending, outbox, recent = KEYS[1], KEYS[2], KEYS[3]

if a.markSeen then
  redis.call('HSETNX', pending, 'seen', cjson.encode({ atMs = a.atMs, atIso = a.atIso, via = a.via }))
  -- A mark alone (no result waits on the pair) only has to outlast the race with its result, so it
  -- is kept a shorter while: most callbacks are about friendships this system did not ask for.
  -- A result indexed later gives the key the full TTL again.
  redis.call('PEXPIRE', pending, redis.call('HLEN', pending) == 1 and a.seenAloneTtlMs or a.ttlMs)
end
local seenJson = redis.call('HGET', pending, 'seen')
if not seenJson then return 0 end
local seen = cjson.decode(seenJson)

local fields = redis.call('HGETALL', pending)
local refs, done = {}, {}
for i = 1, #fields, 2 do
  local kind, requestId = string.sub(fields[i], 1, 2), string.sub(fields[i], 3)
  if kind == 'r:' then refs[requestId] = fields[i + 1] elseif kind == 'c:' then done[requestId] = true end
end

local made = 0
for requestId, refJson in pairs(refs) do
  if not done[requestId] then
    local ref = cjson.decode(refJson)
    redis.call('HSET', pending, 'c:' .. requestId, seen.atMs)
    local id = 'confirmed-' .. redis.sha1hex(a.provider .. '\n' .. a.account .. '\n' .. a.target .. '\n' .. requestId)
    local event = {
      event = 'confirmed', eventId = id, requestId = requestId, provider = a.provider, account = a.account,
      target = a.target, confirmedAt = seen.atIso, outcome = ref.outcome, code = ref.code, via = seen.via,
    }
    local json = cjson.encode(event)
    local request = a.base .. ':req:' .. requestId
    -- A request already expired keeps no stray count behind.
    if redis.call('EXISTS', request) == 1 then redis.call('HINCRBY', request, 'confirmed', 1) end
    local list = a.base .. ':cb:req:' .. requestId .. ':events'
    redis.call('RPUSH', list, json)
    redis.call('PEXPIRE', list, a.ttlMs)
    redis.call('RPUSH', recent, json)
    redis.call('LTRIM', recent, -a.recentMax, -1)
    redis.call('ZADD', outbox, seen.atMs, cjson.encode({ k = 'event', name = 'confirmed', id = id, data = event }))
    made = made + 1
  end
end
return made
