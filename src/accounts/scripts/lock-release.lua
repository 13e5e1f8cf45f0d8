--[[
  Gives an account's lease back if it is still ours, and names the first waiter to wake.
  When someone waits, the lease key is also published on ARGV[2] (lock-releases.ts): a waiter
  that stayed in its worker slot goes on at once, on whichever worker it is.

  With KEYS[3] (the input queue's delayed set) and ARGV[3] (its job key prefix), it also says
  where that waiter's job is, so that the caller wakes it without looking first: `delayed` (in
  that set: promote it), `queued` (in the queue, not finished and not delayed: running, holding
  its slot for the account, or waiting its turn; nothing to wake) or `elsewhere` (ended, handed
  off to another queue, or gone: the caller looks for it). Why: looking first was two more round
  trips per call (the job's name, then a promote that failed for a waiter holding its slot).

  KEYS[1] lease, KEYS[2] waiters zset, KEYS[3] the input queue's delayed zset (optional)
  ARGV[1] token, ARGV[2] channel, ARGV[3] the input queue's job key prefix (with KEYS[3])
  Returns { the first waiter's id, its place ('' without KEYS[3]) }, or false when none waits.
]]
local ours = redis.call('GET', KEYS[1]) == ARGV[1]
if ours then
  redis.call('DEL', KEYS[1])
end
local first = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
if not first then return false end
if ours then
  redis.call('PUBLISH', ARGV[2], KEYS[1])
end
if not KEYS[3] then return { first, '' } end
if redis.call('ZSCORE', KEYS[3], first) then return { first, 'delayed' } end
local job = redis.call('HMGET', ARGV[3] .. first, 'name', 'finishedOn')
if job[1] and not job[2] then return { first, 'queued' } end
return { first, 'elsewhere' }
