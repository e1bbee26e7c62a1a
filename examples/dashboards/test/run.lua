-- Runs the Argo CD health check on every sample, the way Argo CD does: the script sees the
-- resource as the global `obj` and returns a table with status and message.
-- Usage: lua5.4 run.lua HEALTH_SCRIPT SAMPLES   (prints: name<TAB>status<TAB>message per sample)
local script, samplesFile = arg[1], arg[2]
if script == nil or samplesFile == nil then
  io.stderr:write("usage: lua5.4 run.lua HEALTH_SCRIPT SAMPLES\n")
  os.exit(2)
end

local samples = dofile(samplesFile)
for _, sample in ipairs(samples) do
  local env = setmetatable({ obj = sample.obj }, { __index = _G })
  local chunk = assert(loadfile(script, "t", env))
  local ok, hs = pcall(chunk)
  if not ok then
    print(sample.name .. "\tERROR\t" .. tostring(hs))
  else
    local message = tostring(hs.message or ""):gsub("[\t\n]", " ")
    print(sample.name .. "\t" .. tostring(hs.status) .. "\t" .. message)
  end
end
