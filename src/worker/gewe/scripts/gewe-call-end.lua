--[[
  A GeWe call's end in one round trip: gewe-finished.lua spaces the lane's next send from now,
  lock-release.lua lets the account go (and names its first waiter), then record-results.lua
  records the call's target. The three are the scripts as they stand, composed in as the
  functions finished, release and record (src/lib/lua-script.ts, composedScript).

  Why: they were a round trip each at the end of every call (see release-and-record.lua, which
  does the last two for TIM). The lane's end is stamped before the account is let go, as it was:
  the account's next call, wherever it runs, is spaced from it.

  KEYS: gewe-finished.lua's two, then lock-release.lua's (ARGV[1] keys in all with those two),
  then record-results.lua's
  ARGV[1] how many keys gewe-finished.lua and lock-release.lua take, ARGV[2] how many arguments,
  ARGV[3..4] gewe-finished.lua's, ARGV[5..] lock-release.lua's, then record-results.lua's
  Returns what release-and-record.lua returns.
]]
local nKeys, nArgs = tonumber(ARGV[1]), tonumber(ARGV[2])
finished({ KEYS[1], KEYS[2] }, { ARGV[3], ARGV[4] })
local released = release({ unpack(KEYS, 3, nKeys) }, { unpack(ARGV, 5, 2 + nArgs) })
local recorded = record({ unpack(KEYS, nKeys + 1) }, { unpack(ARGV, 3 + nArgs) })
if recorded.err then return { released, false, recorded.err } end
return { released, recorded }
