--[[
  One page of accounts from per-state indexes (sorted sets), read as if they were one list in
  the order of KEYS. An index scored by when its state ends skips the ended ones by score (their
  members stay until someone removes them); the others list everything. Cost: a ZCOUNT per index
  plus the page, whatever the number of accounts (ZRANGE by rank is O(log N + page)).
  KEYS[i] the indexes
  ARGV[1] cjson { offset, limit, byEnd: [bool per index] }, ARGV[2] now ms
  Returns { { live count per index }, { index number, member, score, ... } }.
]]
local a = cjson.decode(ARGV[1])
local now = ARGV[2]
local totals, starts = {}, {}
for i, key in ipairs(KEYS) do
  local ended = 0
  if a.byEnd[i] then ended = redis.call('ZCOUNT', key, '-inf', now) end
  starts[i] = ended
  totals[i] = redis.call('ZCARD', key) - ended
end
local skip, want, rows = tonumber(a.offset), tonumber(a.limit), {}
for i, key in ipairs(KEYS) do
  if want <= 0 then break end
  if skip >= totals[i] then
    skip = skip - totals[i]
  else
    local from = starts[i] + skip
    local got = redis.call('ZRANGE', key, from, from + want - 1, 'WITHSCORES')
    for j = 1, #got, 2 do
      rows[#rows + 1] = i
      rows[#rows + 1] = got[j]
      rows[#rows + 1] = got[j + 1]
    end
    want = want - #got / 2
    skip = 0
  end
end
return { totals, rows }
