-- Scenario 9 and its warm-up: the edit-owner form, posted and validated; the application saves the owner and answers
-- 302 with a flash message in a new session (no cookie is sent: a cookie shared by every request would pile thousands
-- of flash messages into one session). Owners 101-200 take turns, so that the owner page (owner 1) stays as it was.
-- The redirect is not followed. Any status other than 302 (a 200 is the form again, with validation errors) counts
-- as an error.
local counter = 0

function form_request()
  counter = counter + 1
  local body = string.format("firstName=Pat&lastName=Zimmer&address=%d+Lake+St.&city=Madison&telephone=608%07d",
    100 + counter % 900, counter % 10000000)
  return wrk.format("POST", "/owners/" .. (101 + counter % 100) .. "/edit",
    { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
