-- Scenario 14: POST /upload of BODY_BYTES bytes (0 to 16 MiB) of application/octet-stream; the server reads the body
-- as a stream and answers how many bytes it read (bench/common Payload). A 200 whose body is not that count is an
-- error: a server that cut the body short must not look fast.
local size = tonumber(os.getenv("BODY_BYTES") or "0")
local expected = tostring(size)
local threads = {}
wrong = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/octet-stream"
if size > 0 then
  wrk.body = string.rep("0123456789abcdef", math.floor(size / 16)) .. string.rep("x", size % 16)
else
  -- wrk sends no Content-Length without a body: an empty POST says so itself, as a client posting nothing would.
  wrk.headers["Content-Length"] = "0"
end

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status ~= 200 or body ~= expected then
    wrong = wrong + 1
  end
end

dofile("report.lua")
local report = done
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    summary.errors.status = summary.errors.status + (thread:get("wrong") or 0)
  end
  report(summary, latency, requests)
end
