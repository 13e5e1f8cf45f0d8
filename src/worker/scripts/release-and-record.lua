--[[
  A call's end in one round trip: lock-release.lua lets the account go (and names its first
  waiter), then record-results.lua records the call's finals and progress. Both are the scripts
  as they stand, composed in as the functions release and record (src/lib/lua-script.ts,
  composedScript).

  Why: the two were a round trip each at the end of every call, and a round trip is a socket
  write and a wake on both sides. The account is let go first, so that a record refused (the job's
  BullMQ lock lost) still lets it go, and whatever the account's next call needs on record (a
  strike, a rest) was written before this script, while the account was held.

  KEYS: the first ARGV[1] are lock-release.lua's, the rest record-results.lua's
  ARGV[1] how many keys lock-release.lua takes, ARGV[2] how many arguments, ARGV[3..] its
  arguments, then record-results.lua's
  Returns { lock-release.lua's reply, record-results.lua's }, or { lock-release.lua's reply,
  false, record-results.lua's error } when the record was refused.
]]
local nKeys, nArgs = tonumber(ARGV[1]), tonumber(ARGV[2])
local released = release({ unpack(KEYS, 1, nKeys) }, { unpack(ARGV, 3, 2 + nArgs) })
local recorded = record({ unpack(KEYS, nKeys + 1) }, { unpack(ARGV, 3 + nArgs) })
if recorded.err then return { released, false, recorded.err } end
return { released, recorded }
