--[[
  A TIM job's first turn starts here, in one round trip: init-job.lua (the job counted into its
  request, its state and its account's read), then, unless its request is cancelled,
  lock-acquire.lua takes its account (or puts the job in the account's line, or finds the account
  blocked). Both are the scripts as they stand, composed in as the functions initJob and acquire
  (src/lib/lua-script.ts, composedScript).

  Why: the job's call took its account in a round trip of its own right after init, with nothing
  between but checks on what init read. Now the account is taken those checks sooner; a job that
  then makes no call (its targets wait for a retry, its credential is suspended, it was final
  already) lets it go again (tim-processor.ts), a round trip only in those rare turns.

  KEYS[1..9] init-job.lua's, KEYS[10..12] lock-acquire.lua's
  ARGV[1..5] init-job.lua's, ARGV[6..11] lock-acquire.lua's (a take)
  Returns { init-job.lua's reply, lock-acquire.lua's, or false when it did not run }, or
  init-job.lua's error.
]]
local started = initJob({ unpack(KEYS, 1, 9) }, { unpack(ARGV, 1, 5) })
if started.err then return started end
if started[2] == '1' then return { started, false } end
return { started, acquire({ unpack(KEYS, 10, 12) }, { unpack(ARGV, 6, 11) }) }
