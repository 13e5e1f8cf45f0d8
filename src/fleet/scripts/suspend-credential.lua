--[[
  Suspends a credential after a configuration error: every worker stops calling with it, and one
  probe call is allowed once the recheck time has passed.
  KEYS[1] the suspensions hash (field: <provider>:<fingerprint>, value: JSON)
  ARGV[1] JSON {field, provider, fingerprint, code, info, now, recheckMs}
  Returns 1 when this call began the suspension, 0 when it was suspended already (then only the
  code, the text and the next probe time move).
]]
local a = cjson.decode(ARGV[1])
local old = redis.call('HGET', KEYS[1], a.field)
local since = a.now
if old then since = cjson.decode(old).since end
local entry = {
  provider = a.provider, fingerprint = a.fingerprint, code = a.code, info = a.info,
  since = since, probeAt = a.now + a.recheckMs,
}
redis.call('HSET', KEYS[1], a.field, cjson.encode(entry))
if old then return 0 end
return 1
