--[[
  Marks a library submit in its request's hash before any of its jobs is added, once. The request
  is counted whole here (`preCounted`), so init-job.lua only lists each job as it starts.

  A hash without a mark whose jobs are all this request's own (their ids carry its stem) is
  adopted: that is what a Redis crash leaves when it lost the mark but a resent add and the work
  that followed survived. Its counts are set from the whole request, less what is already final.

  KEYS[1] request hash, KEYS[2] request job hash (job id -> job state key)
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

local state = 'new'
local final = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
  local stem = ARGV[5] .. '-'
  local jobIds = redis.call('HKEYS', KEYS[2])
  if #jobIds == 0 then return { 'foreign', '0' } end
  for _, id in ipairs(jobIds) do
    if string.sub(id, 1, #stem) ~= stem then return { 'foreign', '0' } end
  end
  local fields = redis.call('HGETALL', KEYS[1])
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, 2) == 'o:' then final = final + tonumber(fields[i + 1]) end
  end
  state = 'same'
  redis.call('HDEL', KEYS[1], 'submitted')
end
redis.call('HSET', KEYS[1],
  'total', ARGV[3], 'open', tonumber(ARGV[3]) - final, 'jobs', ARGV[4], 'preCounted', '1',
  'provider', ARGV[2], 'contentHash', ARGV[1], 'jobIdStem', ARGV[5])
redis.call('HSETNX', KEYS[1], 'createdAt', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return { state, '0' }
