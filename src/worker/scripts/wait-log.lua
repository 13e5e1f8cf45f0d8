--[[
  Appends wait lines to jobs' BullMQ logs, many jobs in one step, as BullMQ's addLog does for one
  (Job.log): a line for a job that no longer exists is dropped, and a job added with `keepLogs`
  keeps only its last lines.
  KEYS: for each line, the job's key and its logs key
  ARGV: for each line, the line and the job's keepLogs ('' when unset)
  Returns how many lines were written.
]]
local written = 0
for i = 1, #ARGV, 2 do
  local jobKey, logsKey = KEYS[i], KEYS[i + 1]
  if redis.call('EXISTS', jobKey) == 1 then
    redis.call('RPUSH', logsKey, ARGV[i])
    if ARGV[i + 1] ~= '' then redis.call('LTRIM', logsKey, -tonumber(ARGV[i + 1]), -1) end
    written = written + 1
  end
end
return written
