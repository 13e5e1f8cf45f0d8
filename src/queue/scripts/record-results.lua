--[[
  Records what one call taught us, atomically: final results (each target once only, whatever
  retries or crashes came before), attempt counts and last answers, the new finals as one result
  batch in the request's results (src/queue/request-results.ts), and an outbox entry naming it, to
  be handed to the listeners afterwards (ResultPublisher).
  A worker killed after this script and before publishing loses nothing: the next run publishes
  the outbox with the same deterministic result job id.

  Refused (LOSTLOCK) when the job's BullMQ lock no longer holds the worker's token: a worker that
  lost its job (stalled and taken over, or lost with Redis's last second) must not write for it.

  KEYS[1] job state hash, KEYS[2] outbox hash, KEYS[3] request hash, KEYS[4] the request's results
  one entry each, as workers before KEYS[6] wrote them (kept alive, no longer written), KEYS[5]
  the job's BullMQ lock, KEYS[6] the request's result batches (a sorted set of batch ids scored by
  where each batch ends: src/queue/request-results.ts), KEYS[7] their texts (a hash by batch id)
  ARGV[1] lock token ('' when the caller holds no lock)
  ARGV[2] ttl ms
  ARGV[3] the result batch as JSON, finals in order, e.g. {"requestId":"r",...,"results":[{..},{..}]}:
          when every final is new it is the batch as it stands (src/queue/packed-finals.ts)
  ARGV[4] the byte length of the batch's head, up to and including `"results":[`
  ARGV[5] the finals' layout, `<target bytes>,<outcome bytes>,` each (as a finals field keeps it)
  ARGV[6] the finals' names: target and outcome of each, back to back
  ARGV[7] the results' layout in the batch, `<result JSON bytes>,` each
  ARGV[8] the finals counted by outcome, `<outcome>=<count>,` each
  ARGV[9] '1' when the finals name distinct targets
  ARGV[10] the open targets' layout, `<target bytes>,<attempts bytes>,<last answer JSON bytes>,` each
  ARGV[11] the open targets' texts, back to back
  ARGV[12] the job's state id, which names its batches (`<stateId>-<seq>`, as their result jobs)
  ARGV[13] k, then k pairs of job fields to set: name, value
  then the confirm index as cjson {stem, outbox, requestId, provider, account,
  refs: {target: ref JSON}} or '' (src/callbacks/confirm-index.ts)
  then the batch's result job: '1' to add it to `friend-add-results` (KEYS[8..13]: its wait, meta,
  id, active, events and marker keys), '0' not to; the queue's job key prefix; the job's options as
  JSON but its id; its name; its timestamp (src/queue/result-jobs.ts); '1' when a batch whose job
  is added here needs no outbox entry if recorded whole into an empty outbox (no listener beyond
  the worker's process: ResultJobs.listenersBeyond)
  Returns { batch sequence or 0, finals newly recorded, batches in the outbox now, 1 when the
  batch got no entry }: a batch that is alone in the outbox, or has no entry, is all its job has to
  publish (ResultPublisher needs no listing).

  Why the result job is added here: the batch is in Redis already. Adding it through BullMQ sent
  the same ~170 KB again, and made the worker build it once more (docs/benchmarks.md, ninth
  sitting). The outbox stays, for the listeners (the webhook, the metrics).

  Why packed: a 1000-target call as 3000 arguments cost the worker more to send than the whole
  rest of the call, and the batch was serialised twice (each result, then the outbox entry).

  Why two paths: a job's first record (nothing final yet) of distinct targets, the usual case,
  has nothing to de-duplicate, so its finals field, counts and batch are kept as the worker sent
  them. Cutting, comparing and re-encoding 1000 finals in Lua cost Redis ~4 ms a call, most of what
  recording took, and cutting the results out for a list of one entry each another ~1 ms
  (docs/benchmarks.md, seventh sitting).
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

local sub, gmatch = string.sub, string.gmatch

--[[
  Adds the batch's job to `friend-add-results` as BullMQ 6.7's addStandardJob adds a job with a
  custom id and no delay, priority, parent or deduplication: the id counter, the job hash, the
  `added` and `waiting` events, the wait list and the marker; an id already there (the batch was
  added before) is left as it is, with a `duplicated` event. test/queue/result-jobs.test.ts holds
  it to what Queue.add stores, so a BullMQ upgrade that changes either shows there.
]]
local function addResultJob(jobId, data, job)
  local wait, meta, active, events, marker = KEYS[8], KEYS[9], KEYS[11], KEYS[12], KEYS[13]
  redis.call('INCR', KEYS[10])
  local maxEvents = redis.call('HGET', meta, 'opts.maxLenEvents')
  if not maxEvents then
    maxEvents = 10000
    redis.call('HSET', meta, 'opts.maxLenEvents', maxEvents)
  end
  local jobKey = job.prefix .. jobId
  if redis.call('EXISTS', jobKey) == 1 then
    redis.call('XADD', events, 'MAXLEN', '~', maxEvents, '*', 'event', 'duplicated', 'jobId', jobId)
    return
  end
  local opts = cjson.decode(job.opts)
  opts.jobId = jobId
  redis.call('HMSET', jobKey, 'name', job.name, 'data', data, 'opts', cjson.encode(opts), 'timestamp', job.timestamp,
    'delay', 0, 'priority', 0)
  redis.call('XADD', events, '*', 'event', 'added', 'jobId', jobId, 'name', job.name)
  local state = redis.call('HMGET', meta, 'paused', 'concurrency')
  local pausedOrMaxed = state[1] ~= false or (state[2] ~= false and redis.call('LLEN', active) >= tonumber(state[2]))
  redis.call('LPUSH', wait, jobId)
  if not pausedOrMaxed then redis.call('ZADD', marker, 0, '0') end
  redis.call('XADD', events, 'MAXLEN', '~', maxEvents, '*', 'event', 'waiting', 'jobId', jobId)
end

local batch, ttl = ARGV[3], ARGV[2]
local lastSeq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
local firstOfDistinct = lastSeq == 0 and ARGV[9] == '1'

-- What is recorded: `fresh`, the new results' JSON (nil when every final is new: the batch is
-- kept as sent), `freshCount`; `finalsField`, their finals field (or the per-target fields of a
-- job recorded before that format); `byOutcome`, their counts; `isFresh`, the new finals' targets
-- (nil when every final is new).
local fresh, freshCount, byOutcome, finalsField, perTargetFields, isFresh = nil, 0, {}, nil, nil, nil
local n = 0

if firstOfDistinct then
  for outcome, count in gmatch(ARGV[8], '([^=,]+)=(%d+),') do
    byOutcome[outcome] = tonumber(count)
    n = n + tonumber(count)
  end
  freshCount = n
  finalsField = ARGV[5] .. '\n' .. ARGV[6]
else
  -- Each final: target and outcome cut from ARGV[6] by ARGV[5]'s lengths, its result from the
  -- batch (after the head, separated by commas) by ARGV[7]'s.
  local targets, outcomes, pieces, jsons = {}, {}, {}, {}
  local at, inBatch, nextResult = 1, tonumber(ARGV[4]) + 1, gmatch(ARGV[7], '(%d+),')
  for piece, lt, lo in gmatch(ARGV[5], '((%d+),(%d+),)') do
    n = n + 1
    local t = at + tonumber(lt)
    local o, j = t + tonumber(lo), inBatch + tonumber(nextResult())
    targets[n], outcomes[n], pieces[n], jsons[n] = sub(ARGV[6], at, t - 1), sub(ARGV[6], t, o - 1), piece, sub(batch, inBatch, j - 1)
    at, inBatch = o, j + 1
  end

  -- Targets already final: each recorded batch keeps its finals in one field, `F:<seq>` =
  -- `<target bytes>,<outcome bytes>,` each, a newline, then the names (src/queue/final-outcomes.ts).
  -- A job recorded before that format (seq set, no `F:1`) keeps `f:<target>` fields, and goes on so.
  local already, perTarget = {}, false
  if lastSeq > 0 then
    local fields, kept = {}, {}
    for s = 1, lastSeq do fields[s] = 'F:' .. s end
    for first = 1, lastSeq, BATCH do
      local got = redis.call('HMGET', KEYS[1], unpack(fields, first, math.min(lastSeq, first + BATCH - 1)))
      for j = 1, #got do kept[first + j - 1] = got[j] end
    end
    perTarget = not kept[1]
    for s = 1, lastSeq do
      local value = kept[s]
      if value then
        local cut = string.find(value, '\n', 1, true)
        local pos = cut + 1
        for lt, lo in gmatch(sub(value, 1, cut - 1), '(%d+),(%d+),') do
          local t = pos + tonumber(lt)
          already[sub(value, pos, t - 1)] = true
          pos = t + tonumber(lo)
        end
      end
    end
  end
  if perTarget then
    local names = {}
    for i = 1, n do names[i] = 'f:' .. targets[i] end
    for first = 1, n, BATCH do
      local got = redis.call('HMGET', KEYS[1], unpack(names, first, math.min(n, first + BATCH - 1)))
      for j = 1, #got do
        if got[j] then already[targets[first + j - 1]] = true end
      end
    end
  end

  local newFinals, newLayout = {}, {}
  fresh, isFresh = {}, {}
  for i = 1, n do
    local target, outcome = targets[i], outcomes[i]
    -- The job's hash keeps only the outcome; the result itself goes to the outbox and the request.
    if not already[target] and not isFresh[target] then
      isFresh[target] = true
      fresh[#fresh + 1] = jsons[i]
      if perTarget then
        newFinals[#newFinals + 1] = 'f:' .. target
        newFinals[#newFinals + 1] = outcome
      else
        newFinals[#newFinals + 1] = target .. outcome
        newLayout[#newLayout + 1] = pieces[i]
      end
      byOutcome[outcome] = (byOutcome[outcome] or 0) + 1
    end
  end
  freshCount = #fresh
  if perTarget then
    perTargetFields = newFinals
  else
    finalsField = table.concat(newLayout) .. '\n' .. table.concat(newFinals)
  end
end

local seq = 0
if freshCount > 0 then
  seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  if perTargetFields then
    inBatches('HSET', KEYS[1], perTargetFields)
  else
    redis.call('HSET', KEYS[1], 'F:' .. seq, finalsField)
  end
  for outcome, count in pairs(byOutcome) do redis.call('HINCRBY', KEYS[3], 'o:' .. outcome, count) end
  redis.call('HINCRBY', KEYS[3], 'open', -freshCount)
end

-- Open targets: target, attempts and last answer, back to back in ARGV[11] by ARGV[10]'s lengths.
local progress, pos = {}, 1
for lt, la, ll in gmatch(ARGV[10], '(%d+),(%d+),(%d+),') do
  local t = pos + tonumber(lt)
  local a = t + tonumber(la)
  local l = a + tonumber(ll)
  local target = sub(ARGV[11], pos, t - 1)
  progress[#progress + 1] = 'a:' .. target
  progress[#progress + 1] = sub(ARGV[11], t, a - 1)
  progress[#progress + 1] = 'l:' .. target
  progress[#progress + 1] = sub(ARGV[11], a, l - 1)
  pos = l
end
inBatches('HSET', KEYS[1], progress)

local idx = 13
local k = tonumber(ARGV[idx])
idx = idx + 1
for _ = 1, k do
  redis.call('HSET', KEYS[1], ARGV[idx], ARGV[idx + 1])
  idx = idx + 2
end

-- Confirmable finals (`requested`, code `unconfirmed`) are indexed by (provider, account, target),
-- so that a provider's callback finds them in O(1) however many requests are kept. One a callback
-- already named (`seen`: it came first) is queued to be confirmed now (src/callbacks/scripts/
-- confirm-target.lua makes the event). Only fresh finals: a result is indexed once (every final
-- is fresh when `isFresh` is nil).
local spec = ARGV[idx]
local resultJob = { add = ARGV[idx + 1] == '1', prefix = ARGV[idx + 2], opts = ARGV[idx + 3], name = ARGV[idx + 4], timestamp = ARGV[idx + 5],
  entryless = ARGV[idx + 6] == '1' }
if spec ~= '' then
  local c = cjson.decode(spec)
  for target, ref in pairs(c.refs) do
    if not isFresh or isFresh[target] then
      local key = c.stem .. target
      redis.call('HSET', key, 'r:' .. c.requestId, ref)
      redis.call('PEXPIRE', key, ttl)
      if redis.call('HEXISTS', key, 'seen') == 1 then
        local recheck = { k = 'recheck', provider = c.provider, account = c.account, target = target }
        redis.call('ZADD', c.outbox, 0, cjson.encode(recheck))
      end
    end
  end
end

local entryless = false
if freshCount > 0 then
  -- Every final new (the usual case): the batch as sent is the entry.
  local entry = batch
  local whole = not (fresh and #fresh < n)
  if not whole then entry = sub(batch, 1, tonumber(ARGV[4])) .. table.concat(fresh, ',') .. ']}' end
  -- The outbox entry is empty: the batch's text is the request's, under the same id. It held the
  -- text too until the request kept its texts by id, one more ~170 KB copy per call. A whole
  -- batch whose job is added below, into an empty outbox, may need none (see ARGV's last): its
  -- worker keeps it to hand on, and only in-process listeners wait for it.
  entryless = resultJob.entryless and resultJob.add and whole and redis.call('EXISTS', KEYS[2]) == 0
  if not entryless then redis.call('HSET', KEYS[2], seq, '') end
  -- The request's results, in the order recorded: each batch's id scored by the count of results
  -- up to and including it, so a page is the batches scored above its offset; its text by id.
  -- Why the text is not in the member, as it was: Redis's Lua hashes every byte of every string it
  -- makes, and the member (id, newline, ~170 KB) made two (the concatenation, and the last member
  -- read back for its score), each also copied and allocated: ~1/5 of Redis's time per call.
  local id = ARGV[12] .. '-' .. seq
  local last = redis.call('ZRANGE', KEYS[6], -1, -1, 'WITHSCORES')
  local ends = (tonumber(last[2]) or 0) + freshCount
  redis.call('ZADD', KEYS[6], ends, id)
  redis.call('HSET', KEYS[7], id, entry)
  if resultJob.add then addResultJob(id, entry, resultJob) end
end
for _, i in ipairs({ 1, 2, 3, 4, 6, 7 }) do redis.call('PEXPIRE', KEYS[i], ttl) end
return { seq, freshCount, redis.call('HLEN', KEYS[2]), entryless and 1 or 0 }
