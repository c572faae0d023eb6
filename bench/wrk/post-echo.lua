-- Scenario 4: POST of a 16 KiB JSON document, echoed back.
local filler = string.rep("0123456789abcdef", 1024 - 1)
local body = '{"data":"' .. filler .. string.rep("x", 16384 - 12 - #filler) .. '"}'
assert(#body == 16384 - 1, "unexpected body size " .. #body)
wrk.method = "POST"
wrk.body = body .. "\n"
wrk.headers["Content-Type"] = "application/json"
dofile("report.lua")
