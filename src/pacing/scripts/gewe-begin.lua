--[[
  The last check before a GeWe call, atomic with recording it: the lane's last send is at least
  the lane's least interval ago (measured between sends of that lane, whatever the reservations
  said), and today's cap for this kind of call is not reached. On success the send is recorded
  at once, so the next check of any worker sees it.

  With KEYS[4], the job is marked in flight in the same step (`inFlight` 1 on its state hash;
  JobStore.record clears it with the answer): an add that may have left is never sent again, and
  the mark costs no round trip of its own.

  KEYS[1] pace hash, KEYS[2] account hash, KEYS[3] day counter hash, KEYS[4] (optional) the job's
  state hash
  ARGV[1] job state id, ARGV[2] now ms, ARGV[3] least interval ms, ARGV[4] kind (add|accept),
  ARGV[5] cap for the kind today, ARGV[6] day counter ttl ms, ARGV[7] the lane's last-sent field,
  ARGV[8] the job state's ttl ms (with KEYS[4])
  Returns { 'ok', count today } | { 'early', ms to wait } | { 'cap', count today }.
]]
local now = tonumber(ARGV[2])
local lane = ARGV[7]
local lastSent = tonumber(redis.call('HGET', KEYS[1], lane) or redis.call('HGET', KEYS[2], lane) or 0)
local early = lastSent + tonumber(ARGV[3]) - now
if early > 0 then return { 'early', string.format('%d', early) } end
local used = tonumber(redis.call('HGET', KEYS[3], ARGV[4]) or 0)
if used >= tonumber(ARGV[5]) then
  redis.call('HDEL', KEYS[1], 'r:' .. ARGV[1])
  return { 'cap', used }
end
local stamp = string.format('%d', now)
redis.call('HSET', KEYS[1], lane, stamp)
redis.call('HDEL', KEYS[1], 'r:' .. ARGV[1])
redis.call('HSET', KEYS[2], lane, stamp)
redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
redis.call('PEXPIRE', KEYS[3], ARGV[6])
if KEYS[4] then
  redis.call('HSET', KEYS[4], 'inFlight', '1')
  redis.call('PEXPIRE', KEYS[4], ARGV[8])
end
return { 'ok', used + 1 }
