--[[
  A GeWe call's start in one round trip: lock-acquire.lua takes the account (or joins its line,
  or finds it blocked), then, only once it is ours, gewe-begin.lua makes the last check before the
  send and records it (marking the add in flight). Both are the scripts as they stand, composed in
  as the functions acquire and begin (src/lib/lua-script.ts, composedScript).

  Why: a call took the two in a round trip each, one straight after the other; the check is the
  same, made with the account held as before.

  KEYS: lock-acquire.lua's (ARGV[1] of them), then gewe-begin.lua's
  ARGV[1] how many keys lock-acquire.lua takes, ARGV[2] how many arguments, ARGV[3..] its
  arguments, then gewe-begin.lua's
  Returns { lock-acquire.lua's reply, gewe-begin.lua's, or false when the account was not taken }.
]]
local nKeys, nArgs = tonumber(ARGV[1]), tonumber(ARGV[2])
local taken = acquire({ unpack(KEYS, 1, nKeys) }, { unpack(ARGV, 3, 2 + nArgs) })
if type(taken) ~= 'table' or taken[1] ~= 'taken' then return { taken, false } end
return { taken, begin({ unpack(KEYS, nKeys + 1) }, { unpack(ARGV, 3 + nArgs) }) }
