--[[
  Names the retry request of a request's failed targets: `<prefix><n>`, n counting up from 1. The
  same failed set asked for again gets the same name, so a repeated retry-failed (a double click,
  a client retrying after a timeout) is an idempotent submit and adds nothing.
  KEYS[1] the original request's hash
  ARGV[1] content hash of the failed set, ARGV[2] name prefix (`<requestId>-retry-`)
  Returns the retry request's id.
]]
if redis.call('HGET', KEYS[1], 'lastRetryHash') == ARGV[1] then
  return redis.call('HGET', KEYS[1], 'lastRetry')
end
local id = ARGV[2] .. redis.call('HINCRBY', KEYS[1], 'retries', 1)
redis.call('HSET', KEYS[1], 'lastRetry', id, 'lastRetryHash', ARGV[1])
return id
