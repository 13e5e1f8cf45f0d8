--[[
  Marks a library submit in its request's hash before any of its jobs is added, once. The request
  is counted whole here (`preCounted`), so init-job.lua only lists each job as it starts.
  KEYS[1] request hash
  ARGV[1] content hash, ARGV[2] provider, ARGV[3] distinct targets, ARGV[4] jobs,
  ARGV[5] job id stem, ARGV[6] now (ISO text), ARGV[7] ttl ms
  Returns { state, submitted }: state is
    'new'      marked now;
    'same'     marked before with the same content (submitted '1' once every job was added);
    'conflict' marked before with other content;
    'foreign'  the requestId is already used by jobs added directly to the queue.
]]
local known = redis.call('HGET', KEYS[1], 'contentHash')
if known then
  if known ~= ARGV[1] then return { 'conflict', '0' } end
  return { 'same', redis.call('HGET', KEYS[1], 'submitted') or '0' }
end
if redis.call('EXISTS', KEYS[1]) == 1 then return { 'foreign', '0' } end
redis.call('HSET', KEYS[1],
  'total', ARGV[3], 'open', ARGV[3], 'jobs', ARGV[4], 'preCounted', '1', 'createdAt', ARGV[6],
  'provider', ARGV[2], 'contentHash', ARGV[1], 'jobIdStem', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return { 'new', '0' }
