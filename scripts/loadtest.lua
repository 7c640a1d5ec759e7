-- wrk script: a realistic mix of library page states, picked at random per request.
-- Paths come from LOADTEST_PATHS (one per line), written by scripts/loadtest.sh.
local paths = {}
local file = io.open(os.getenv("LOADTEST_PATHS"), "r")
for line in file:lines() do
  if #line > 0 then table.insert(paths, line) end
end
file:close()

math.randomseed(os.time())

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
