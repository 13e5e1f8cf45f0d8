--[[
  Stores one incoming GeWe friend request, once per (account, v3): the request itself, its place
  among the open ones (unless the account's policy accepted it already), one `incoming_request`
  event in the outbox and the recent list, and, when accepted, one `accept` entry that the outbox
  publishes as an option-3 job on `friend-add`. A repeat (GeWe pushes a message more than once)
  finds the v3 and does nothing: never a second event, never a second accept. A few requests older
  than the TTL are pruned on each call, so an account's hash stays bounded without a sweeper.

  KEYS[1] the account's requests (hash v3 -> JSON), KEYS[2] open (zset), KEYS[3] all (zset),
  KEYS[4] the outbox (zset), KEYS[5] the recent events (list)
  ARGV[1] cjson {v3, record (JSON string), event (object), accept (object or false), atMs, ttlMs, recentMax}
  Returns 1 when stored, 0 for a repeat.
]]
local a = cjson.decode(ARGV[1])
local requests, open, all, outbox, recent = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]

local old = redis.call('ZRANGEBYSCORE', all, '-inf', a.atMs - a.ttlMs, 'LIMIT', 0, 20)
for _, v3 in ipairs(old) do
  redis.call('HDEL', requests, v3)
  redis.call('ZREM', all, v3)
  redis.call('ZREM', open, v3)
end

if redis.call('HSETNX', requests, a.v3, a.record) == 0 then return 0 end
redis.call('ZADD', all, a.atMs, a.v3)
if not a.accept then redis.call('ZADD', open, a.atMs, a.v3) end
local eventJson = cjson.encode(a.event)
redis.call('RPUSH', recent, eventJson)
redis.call('LTRIM', recent, -a.recentMax, -1)
redis.call('ZADD', outbox, a.atMs, cjson.encode({ k = 'event', name = 'incoming_request', id = a.event.eventId, data = a.event }))
if a.accept then
  redis.call('ZADD', outbox, a.atMs, cjson.encode({ k = 'accept', id = a.accept.id, data = a.accept.data }))
end
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], a.ttlMs) end
return 1
