--[[
  Before a call with a credential: is it suspended, and if so, is it this caller's turn to probe?
  At most one probe per recheck time across all workers: the caller that finds the probe time
  passed takes it, and pushes the next one a recheck time on.
  KEYS[1] the suspensions hash; ARGV[1] field, ARGV[2] now ms, ARGV[3] recheck ms
  Returns {'go'} (not suspended), {'probe'}, or {'wait', probeAt ms, code, info}.
]]
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return { 'go' } end
local entry = cjson.decode(raw)
local now = tonumber(ARGV[2])
if now >= entry.probeAt then
  entry.probeAt = now + tonumber(ARGV[3])
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(entry))
  return { 'probe' }
end
return { 'wait', string.format('%d', entry.probeAt), tostring(entry.code), entry.info }
