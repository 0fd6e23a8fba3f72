-- Delivery: per-room FIFO, retries, timeouts, giving up, and secrets kept out of the log.
-- Retries back off exponentially by default (api_retry_delay * 2^(n-1), ±20% jitter); the
-- fake environment's math.random() returns 0.5 unless a spec says otherwise, i.e. no jitter,
-- so the waits here are exactly 1, 2, 4, ... s. spec/backoff_spec.lua tests the schedule.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC

local function created(p, name)
	p:fire(MUC, "muc-room-created", { room = E.room(name) })
end

--- A room with one occupant: two events (created, joined) queued for the room.
local function room_with_alice(p, name)
	local room = E.room(name or "fifo")
	local alice = E.occupant(room, "a", "alice@example.com/r")
	p:join(room, alice, E.session(alice.jid), true)
	return room, alice
end

local function count_bodies(p, event_name)
	local n = 0
	for i in ipairs(p.requests) do
		if p:body(i).event_name == event_name then n = n + 1 end
	end
	return n
end

describe("per-room FIFO", function()
	it("sends a room's next event only after the previous one is delivered", function()
		local p = E.new()
		room_with_alice(p)
		assert.are.equal(1, #p.requests)
		p:advance(5) -- nothing else goes out while the first is unanswered (api_timeout is 10)
		assert.are.equal(1, #p.requests)
		p:respond(1, 204)
		assert.are.equal(2, #p.requests)
		assert.are.equal("muc-occupant-joined", p:body(2).event_name)
	end)

	it("holds the room's next event while the previous is being retried", function()
		local p = E.new()
		room_with_alice(p)
		p:respond(1, 503)
		assert.are.equal(1, #p.requests)
		p:advance(1) -- first retry: api_retry_delay
		assert.are.equal(2, #p.requests)
		assert.are.equal("muc-room-created", p:body(2).event_name)
		p:fail(2, "connection refused")
		p:advance(1.9) -- second retry: twice api_retry_delay; joined still waits
		assert.are.equal(2, #p.requests)
		p:advance(0.1)
		assert.are.equal(3, #p.requests)
		assert.are.equal("muc-room-created", p:body(3).event_name)
		p:respond(3, 200)
		assert.are.equal("muc-occupant-joined", p:body(4).event_name)
		assert.are.equal(4, #p.requests)
	end)

	it("lets other rooms go ahead while one room is stuck", function()
		local p = E.new()
		created(p, "stuck")
		p:respond(1, 500)
		created(p, "other")
		assert.are.equal(2, #p.requests)
		assert.are.equal("other@" .. MUC, p:body(2).room_jid)
		p:respond(2, 200)
		p:advance(1)
		assert.are.equal("stuck@" .. MUC, p:body(3).room_jid)
	end)

	it("moves on to the room's next event after giving up", function()
		local p = E.new()
		room_with_alice(p)
		p:respond(1, 400)
		assert.are.equal(2, #p.requests)
		assert.are.equal("muc-occupant-joined", p:body(2).event_name)
	end)
end)

describe("retries", function()
	it("retries a 5xx after api_retry_delay, with the same body and headers (webhook-id included)", function()
		local p = E.new({ options = E.options({ api_retry_delay = 5, api_headers = { Authorization = "Bearer A" } }) })
		created(p, "r")
		p:respond(1, 502)
		p:advance(4.9)
		assert.are.equal(1, #p.requests)
		p:advance(0.1)
		assert.are.equal(2, #p.requests)
		assert.are.equal(p.requests[1].body, p.requests[2].body)
		assert.are.equal(p.requests[1].url, p.requests[2].url)
		assert.are.equal("Bearer A", p.requests[2].headers.Authorization)
		assert.are.same(p.requests[1].headers, p.requests[2].headers)
		assert.are.equal(p:body(1).event_id, p.requests[2].headers["webhook-id"])
	end)

	it("does not retry a 4xx and logs one warn naming the event and the room", function()
		local p = E.new()
		created(p, "r4")
		p:respond(1, 404)
		p:advance(60)
		assert.are.equal(1, #p.requests)
		local warns = p:logs_at("warn")
		assert.are.equal(1, #warns)
		assert.truthy(warns[1]:find("muc-room-created", 1, true), warns[1])
		assert.truthy(warns[1]:find("r4@" .. MUC, 1, true), warns[1])
		assert.truthy(warns[1]:find("404", 1, true), warns[1])
	end)

	it("does not retry a 3xx either", function()
		local p = E.new()
		created(p, "r3")
		p:respond(1, 301)
		p:advance(60)
		assert.are.equal(1, #p.requests)
		assert.are.equal(1, #p:logs_at("warn"))
	end)

	it("treats any 2xx as delivered", function()
		local p = E.new()
		created(p, "ok")
		p:respond(1, 202)
		p:advance(60)
		assert.are.equal(1, #p.requests)
		assert.are.same({}, p:logs_at("warn"))
	end)

	it("retries a transport failure (net.http code 0)", function()
		local p = E.new()
		created(p, "t0")
		p:fail(1, "connection refused")
		p:advance(1)
		assert.are.equal(2, #p.requests)
		p:respond(2, 200)
		assert.are.same({}, p:logs_at("warn"))
	end)

	it("retries when net.http.request itself throws (https without LuaSec)", function()
		local p = E.new({ http_error = "SSL not available, unable to contact https URL" })
		created(p, "tls")
		p:advance(1) -- retry 1 after 1 s
		p:advance(2) -- retry 2 after 2 s
		p:advance(3.9) -- retry 3 is due after 4 s
		assert.are.same({}, p:logs_at("warn"))
		assert.are.equal(3, p.metrics["retried_room_created"].count)
		p:advance(0.1) -- the 4th attempt (1 + retry_count) fails too: given up
		assert.are.equal(0, #p.requests)
		assert.are.equal(3, p.metrics["retried_room_created"].count)
		assert.are.equal(1, p.metrics["gave_up_room_created"].count)
		assert.are.same({}, p:logs_at("error"))
		local warns = p:logs_at("warn")
		assert.are.equal(1, #warns)
		assert.truthy(warns[1]:find("SSL not available", 1, true), warns[1])
	end)

	it("follows api_should_retry_for_code: 408 retried, 500 not", function()
		local p = E.new({ options = E.options({
			api_should_retry_for_code = function(code) return code == 408 end,
		}) })
		created(p, "custom")
		p:respond(1, 408)
		p:advance(1)
		assert.are.equal(2, #p.requests)
		p:respond(2, 500)
		p:advance(60)
		assert.are.equal(2, #p.requests)
		assert.are.equal(1, #p:logs_at("warn"))
	end)

	it("passes the HTTP code to api_should_retry_for_code", function()
		local seen = {}
		local p = E.new({ options = E.options({
			api_should_retry_for_code = function(code) seen[#seen + 1] = code; return false end,
		}) })
		created(p, "codes")
		p:respond(1, 418)
		assert.are.same({ 418 }, seen)
	end)

	it("falls back to the default rule and logs an error when the rule throws", function()
		local p = E.new({ options = E.options({
			api_should_retry_for_code = function() error("rule is broken") end,
		}) })
		created(p, "throws")
		p:respond(1, 503)
		local errors = p:logs_at("error")
		assert.are.equal(1, #errors)
		assert.truthy(errors[1]:find("api_should_retry_for_code", 1, true), errors[1])
		assert.truthy(errors[1]:find("rule is broken", 1, true), errors[1])
		p:advance(1)
		assert.are.equal(2, #p.requests) -- 503 retried by the default rule
		p:respond(2, 404)
		p:advance(60)
		assert.are.equal(2, #p.requests) -- 404 not retried by the default rule
	end)

	-- Answers every attempt with 500, moving the clock to each retry (whatever its backoff).
	local function attempts_until_give_up(options)
		local p = E.new({ options = E.options(options) })
		created(p, "count")
		for _ = 1, 20 do
			local open = p:open_requests()
			if #open == 0 then break end
			p:respond(open[1].index, 500)
			if p:next_due() then p:run_next_timer() end
		end
		assert.are.equal(0, p:armed_timers())
		return #p.requests, p
	end

	it("makes 1 + 3 attempts by default, then one warn", function()
		local n, p = attempts_until_give_up({})
		assert.are.equal(4, n)
		local warns = p:logs_at("warn")
		assert.are.equal(1, #warns)
		assert.truthy(warns[1]:find("muc-room-created", 1, true))
		assert.truthy(warns[1]:find("count@" .. MUC, 1, true))
	end)

	it("makes 1 + retry_count attempts", function()
		assert.are.equal(3, (attempts_until_give_up({ retry_count = 2 })))
		assert.are.equal(1, (attempts_until_give_up({ retry_count = 0 })))
	end)

	it("makes 1 + api_retry_count attempts (the Lua event_sync's name)", function()
		assert.are.equal(2, (attempts_until_give_up({ api_retry_count = 1 })))
		assert.are.equal(6, (attempts_until_give_up({ api_retry_count = 5 })))
	end)

	it("prefers retry_count when both are set", function()
		assert.are.equal(2, (attempts_until_give_up({ retry_count = 1, api_retry_count = 4 })))
	end)
end)

describe("timeouts", function()
	it("cancels an unanswered request after api_timeout, then retries it", function()
		local p = E.new({ options = E.options({ api_timeout = 3 }) })
		created(p, "slow")
		p:advance(2.9)
		assert.are.same({}, p.destroyed)
		p:advance(0.1)
		assert.are.equal(1, #p.destroyed)
		assert.are.equal(p.requests[1], p.destroyed[1])
		assert.are.equal(1, #p.requests)
		p:advance(1) -- api_retry_delay
		assert.are.equal(2, #p.requests)
		assert.are.equal(p.requests[1].body, p.requests[2].body)
	end)

	it("ignores a late answer from the cancelled request", function()
		local p = E.new({ options = E.options({ api_timeout = 3 }) })
		room_with_alice(p, "late")
		p:advance(3)
		p:advance(1)
		assert.are.equal(2, #p.requests) -- the retry of created
		p:respond(1, 200) -- late answer to the destroyed first attempt
		assert.are.equal(2, #p.requests) -- joined still waits for the retry's answer
		p:fail(1, "connection-closed")
		assert.are.equal(2, #p.requests)
		p:respond(2, 200)
		assert.are.equal(3, #p.requests)
		assert.are.equal("muc-occupant-joined", p:body(3).event_name)
		p:respond(3, 200)
		p:advance(60)
		assert.are.equal(3, #p.requests)
		assert.are.equal(1, count_bodies(p, "muc-occupant-joined"))
		assert.are.same({}, p:logs_at("warn"))
		assert.are.same({}, p:logs_at("error"))
	end)

	it("does not cancel a request that was answered in time", function()
		local p = E.new({ options = E.options({ api_timeout = 3 }) })
		created(p, "fast")
		p:respond(1, 200)
		assert.are.equal(0, p:armed_timers()) -- the timeout timer is stopped, not left to fire
		p:advance(60)
		assert.are.same({}, p.destroyed)
		assert.are.equal(1, #p.requests)
		assert.are.equal(0, p:armed_timers())
	end)

	it("gives up after the last attempt times out, with one warn", function()
		local p = E.new({ options = E.options({ api_timeout = 2, retry_count = 1 }) })
		created(p, "never")
		p:advance(2)
		p:advance(1)
		p:advance(2)
		p:advance(60)
		assert.are.equal(2, #p.requests)
		assert.are.equal(2, #p.destroyed)
		assert.are.equal(1, #p:logs_at("warn"))
	end)
end)

describe("secrets", function()
	it("never logs an api_headers value, whatever goes wrong", function()
		local SECRET = "s3cr3t-TOKEN-9f8e7d"
		local p = E.new({ options = E.options({
			api_headers = { Authorization = "Bearer " .. SECRET, ["X-Api-Key"] = SECRET },
			api_timeout = 2,
			retry_count = 2,
			api_should_retry_for_code = function(code)
				if code == 599 then error("bad rule") end
				return code >= 500
			end,
		}) })
		room_with_alice(p, "secrets")
		created(p, "secrets2")
		p:respond(1, 599) -- rule throws
		p:advance(1)
		p:fail(3, "connection refused")
		p:advance(2) -- timeouts
		p:advance(2)
		p:advance(2)
		p:advance(4)
		for _ = 1, 10 do
			for _, req in ipairs(p:open_requests()) do p:respond(req.index, 500) end
			p:advance(3)
		end
		p:reload():unload()
		assert.is_true(#p.destroyed >= 1) -- some attempts timed out
		assert.is_true(#p.world.all_logs > 5)
		assert.is_true(#p:logs_at("warn") >= 2)
		for _, entry in ipairs(p.world.all_logs) do
			assert.is_nil(entry.message:find(SECRET, 1, true), entry.message)
			assert.is_false(entry.format_error, entry.message)
		end
	end)
end)
