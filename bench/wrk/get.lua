-- Scenario 1 and 2: keep-alive GET of the ~200-byte JSON.
dofile("report.lua")
