--[[
  A GeWe job's pass starts here, in one round trip: init-job.lua (the job counted into its
  request, its state and its account's read), then, when asked and when that state lets the job
  call, gewe-reserve.lua (its slot in its account's lane). Both are the scripts as they stand,
  composed in as the functions initJob and reserve (src/lib/lua-script.ts, composedScript).

  Why: most passes of a GeWe backlog wait for their turn, and each was four round trips (BullMQ's
  two moves, init, reserve); a worker sweeping a fresh backlog is busy mostly sending commands.

  The slot is reserved only when the job would go on to ask for it (gewe-processor.ts): its
  request not cancelled; nothing final recorded for it and no add in flight; its account not
  paused, parked, resting, locked out or disabled (the states lock-acquire.lua also refuses).
  Otherwise the pass decides as before, and a later pass reserves. A slot reserved for a job that
  then waits anyway only spaces the account's later jobs: each send is still checked against the
  last (gewe-begin.lua).

  KEYS[1..9] init-job.lua's, KEYS[10..14] gewe-reserve.lua's
  ARGV[1..5] init-job.lua's; then, to reserve: ARGV[6] now (ms) as the worker judges the
  account's states by, and ARGV[7..17] gewe-reserve.lua's, its not-before (ARGV[12]) raised to
  the job's own `retryAt`
  Returns { init-job.lua's reply, gewe-reserve.lua's or false when none was made }, or
  init-job.lua's error.
]]
local started = initJob({ unpack(KEYS, 1, 9) }, { unpack(ARGV, 1, 5) })
if started.err then return started end
if #ARGV < 17 then return { started, false } end

local function fieldsOf(flat)
  local hash = {}
  for i = 1, #flat, 2 do hash[flat[i]] = flat[i + 1] end
  return hash
end

local job, account = fieldsOf(started[3]), fieldsOf(started[4])
local now = tonumber(ARGV[6])
local function after(field) return tonumber(account[field] or 0) > now end
if started[2] == '1' or job.seq or job.inFlight == '1' then return { started, false } end
if account.paused == '1' or account.parked == '1' or after('restUntil') or after('lockedUntil') or after('disabledUntil') then
  return { started, false }
end

local args = { unpack(ARGV, 7, 17) }
args[6] = tostring(math.max(tonumber(args[6]), tonumber(job.retryAt or 0)))
return { started, reserve({ unpack(KEYS, 10, 14) }, args) }
