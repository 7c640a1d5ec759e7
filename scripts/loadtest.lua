-- wrk script: a realistic mix of library page states, picked at random per request.
-- Paths come from LOADTEST_PATHS (one per line), written by scripts/loadtest.sh.
--
-- Each of wrk's threads runs this script in a Lua state of its own. Seeded alike (as
-- with os.time(), the same second in every thread), the threads drew the same sequence
-- of states, and nearly half the requests of a run repeated a state another thread had
-- just asked: a varied run that was half repeats, more or fewer as the threads kept in
-- step. Each thread is numbered in setup() and seeds from LOADTEST_SEED (default 1) and
-- its number: sequences of their own, and the same ones in every run.
local paths = {}
local file = io.open(os.getenv("LOADTEST_PATHS"), "r")
for line in file:lines() do
  if #line > 0 then table.insert(paths, line) end
end
file:close()

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end

function init(args)
  math.randomseed(tonumber(os.getenv("LOADTEST_SEED") or "1") * 1000 + number)
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
