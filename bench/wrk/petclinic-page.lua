-- Scenario 9: keep-alive GET of one page of the clinic application (bench/petclinic-common). With COOKIE set (the
-- owner page, which keeps "recently viewed" in the session), every request carries that session cookie, as a browser's
-- would; without it no session is created (the list pages only read one).
local cookie = os.getenv("COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
dofile("report.lua")
