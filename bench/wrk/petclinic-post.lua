-- Scenario 9: the form post (see petclinic-form.lua), 302 expected.
dofile("petclinic-form.lua")
local threads = {}
unexpected = 0

function setup(thread)
  table.insert(threads, thread)
end

function request()
  return form_request()
end

function response(status, headers, body)
  if status ~= 302 then
    unexpected = unexpected + 1
  end
end

dofile("report.lua")
local report = done
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    summary.errors.status = summary.errors.status + (thread:get("unexpected") or 0)
  end
  report(summary, latency, requests)
end
