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

  A job whose slot is then ahead (later than ARGV[18]) waits for it: when asked, the script moves
  it to delayed until its slot with BullMQ's own moveToDelayed, which also fetches the worker's
  next job (src/queue/delaying-worker.ts). Why: that is what such a pass would do next, each in a
  round trip of its own (the move, then the Worker's fetch), and four passes in five of a fresh
  backlog are such passes.

  KEYS[1..9] init-job.lua's, KEYS[10..14] gewe-reserve.lua's, KEYS[15..25] moveToDelayed's
  ARGV[1..5] init-job.lua's; then, to reserve: ARGV[6] now (ms) as the worker judges the
  account's states by, and ARGV[7..17] gewe-reserve.lua's, its not-before (ARGV[12]) raised to
  the job's own `retryAt`; then, to move a job whose slot is ahead: ARGV[18] the latest slot
  that counts as due (ms), ARGV[19..27] moveToDelayed's, its time (ARGV[20]) and delay
  (ARGV[23]) set here
  Returns { init-job.lua's reply, gewe-reserve.lua's or false when none was made,
  moveToDelayed's when it ran: 0, the fetched job, or its negative error code }, or
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
local reserved = reserve({ unpack(KEYS, 10, 14) }, args)
local slot = tonumber(reserved[1])
if #ARGV < 27 or slot <= tonumber(ARGV[18]) then return { started, reserved } end

local moveArgs = { unpack(ARGV, 19, 27) }
moveArgs[2] = ARGV[6]
moveArgs[5] = string.format('%d', slot - now)
return { started, reserved, delay({ unpack(KEYS, 15, 25) }, moveArgs) }
