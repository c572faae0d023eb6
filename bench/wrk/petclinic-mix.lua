-- Scenario 9's warm-up: every page the scenario measures, in turn, so that the JIT compiles all of their paths before
-- the first measurement. CSS_PATH is the versioned stylesheet link as the pages emit it; COOKIE the session of the owner
-- pages (see petclinic-page.lua).
dofile("petclinic-form.lua")
local css = os.getenv("CSS_PATH") or "/css/petclinic.css"
local cookie = os.getenv("COOKIE")
local session = (cookie and cookie ~= "") and { Cookie = cookie } or {}
local n = 0

function request()
  n = n + 1
  local turn = n % 6
  if turn == 0 then
    return wrk.format("GET", "/vets.html")
  elseif turn == 1 then
    return wrk.format("GET", "/owners?page=" .. (1 + n % 8))
  elseif turn == 2 then
    return wrk.format("GET", "/owners/" .. (1 + n % 100), session)
  elseif turn == 3 then
    return wrk.format("GET", "/api/vets")
  elseif turn == 4 then
    return wrk.format("GET", css)
  end
  return form_request()
end
