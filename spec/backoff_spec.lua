-- Retry schedule and retry rule: exponential backoff with ±20% jitter (from math.random()),
-- api_retry_max_delay, fixed mode, Retry-After on 429/503, which codes are retried by default.
--
-- The module's math.random() is the fake environment's `p.random` (see prosody_env.lua), so a
-- spec chooses the jitter: 0 is the shortest wait (-20%), 0.5 none, just under 1 the longest.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC
local EPS = 1e-6

local function near(expected, actual, what)
	assert(math.abs(expected - actual) < EPS, ("%s: expected %.6f, got %.6f"):format(what or "wait", expected, actual))
end

local function created(p, name)
	p:fire(MUC, "muc-room-created", { room = E.room(name or "backoff") })
end

--- Fails every attempt with `code` (and response `headers`) and returns the waits between
-- a failure and the next attempt, until the module gives up or `limit` waits were seen.
local function waits(p, code, headers, limit)
	local out = {}
	for _ = 1, limit or 20 do
		local open = p:open_requests()
		assert.are.equal(1, #open)
		local failed_at = p.world.now
		if code == 0 then p:fail(open[1].index) else p:respond(open[1].index, code, nil, headers) end
		if not p:next_due() then break end
		local before = #p.requests
		p:run_next_timer()
		assert.are.equal(before + 1, #p.requests, "the timer that ran was not the retry")
		out[#out + 1] = p:request(#p.requests).sent_at - failed_at
	end
	return out
end

local function with(options, opts)
	opts = opts or {}
	opts.options = E.options(options)
	local p = E.new(opts)
	created(p)
	return p
end

describe("exponential backoff (the default)", function()
	it("waits api_retry_delay * 1, 2, 4, 8, ... (no jitter when math.random() is 0.5)", function()
		local p = with({ api_retry_delay = 1.5, retry_count = 5 })
		local w = waits(p, 500)
		assert.are.equal(5, #w)
		for n, expected in ipairs({ 1.5, 3, 6, 12, 24 }) do near(expected, w[n], "retry " .. n) end
		assert.are.equal(6, #p.requests)
		assert.are.equal(1, #p:logs_at("warn"))
	end)

	it("takes its jitter from math.random(): -20% at 0, +20% just below 1", function()
		local low = with({ retry_count = 4 }, { random = function() return 0 end })
		local w = waits(low, 503)
		for n, expected in ipairs({ 0.8, 1.6, 3.2, 6.4 }) do near(expected, w[n], "low retry " .. n) end
		assert.are.equal(4, #low.random_calls)

		local r = 1 - 2 ^ -20
		local high = with({ retry_count = 4 }, { random = function() return r end })
		w = waits(high, 503)
		for n, base in ipairs({ 1, 2, 4, 8 }) do near(base * (0.8 + 0.4 * r), w[n], "high retry " .. n) end
		assert.is_true(w[1] > 1.19)
	end)

	it("stays within ±20% of 1, 2, 4, ... times api_retry_delay with the real math.random", function()
		for _ = 1, 20 do
			local p = with({ api_retry_delay = 2, retry_count = 6, api_retry_max_delay = 1000 }, { random = math.random })
			local w = waits(p, 0)
			assert.are.equal(6, #w)
			for n = 1, 6 do
				local base = 2 * 2 ^ (n - 1)
				assert.is_true(w[n] >= 0.8 * base - EPS and w[n] <= 1.2 * base + EPS,
					("retry %d waited %.4f, not within 20%% of %g"):format(n, w[n], base))
			end
			assert.are.equal(6, #p.random_calls)
		end
	end)

	it("never waits more than api_retry_max_delay", function()
		local p = with({ api_retry_delay = 10, api_retry_max_delay = 25, retry_count = 5 })
		local w = waits(p, 500)
		for n, expected in ipairs({ 10, 20, 25, 25, 25 }) do near(expected, w[n], "retry " .. n) end
	end)

	it("caps at the default api_retry_max_delay of 60 s", function()
		local p = with({ api_retry_delay = 20, retry_count = 4 }, { random = function() return 1 - 2 ^ -20 end })
		local w = waits(p, 500)
		near(20 * (1.2 - 0.4 * 2 ^ -20), w[1], "retry 1")
		near(40 * (1.2 - 0.4 * 2 ^ -20), w[2], "retry 2")
		near(60, w[3], "retry 3")
		near(60, w[4], "retry 4")
	end)

	it("applies to timeouts as well", function()
		local p = with({ api_timeout = 5, retry_count = 2 })
		p:advance(5) -- attempt 1 times out
		p:advance(0.99)
		assert.are.equal(1, #p.requests)
		p:advance(0.01)
		assert.are.equal(2, #p.requests)
		p:advance(5) -- attempt 2 times out: retry 2 after 2 s
		p:advance(1.99)
		assert.are.equal(2, #p.requests)
		p:advance(0.01)
		assert.are.equal(3, #p.requests)
	end)
end)

describe("fixed backoff (api_retry_backoff = \"fixed\")", function()
	it("waits api_retry_delay every time, without jitter", function()
		local p = with({ api_retry_backoff = "fixed", api_retry_delay = 3, retry_count = 4 },
			{ random = function() return 0 end })
		local w = waits(p, 500)
		assert.are.equal(4, #w)
		for n = 1, 4 do near(3, w[n], "retry " .. n) end
	end)

	it("is still capped by api_retry_max_delay", function()
		local p = with({ api_retry_backoff = "fixed", api_retry_delay = 100, api_retry_max_delay = 30, retry_count = 2 })
		local w = waits(p, 500)
		assert.are.equal(2, #w)
		for n = 1, 2 do near(30, w[n], "retry " .. n) end
	end)

	it("accepts only \"exponential\" or \"fixed\"", function()
		for _, good in ipairs({ "exponential", "fixed" }) do
			local p = E.new({ options = E.options({ api_retry_backoff = good }) })
			assert.are.same({}, p:logs_at("error"))
		end
		local p = E.new({ options = E.options({ api_retry_backoff = "linear" }) })
		local errors = p:logs_at("error")
		assert.are.equal(1, #errors)
		assert.truthy(errors[1]:find("'api_retry_backoff'", 1, true), errors[1])
		assert.are.equal(0, p:hook_count(MUC))
	end)

	it("rejects an api_retry_max_delay that is not a positive number", function()
		for _, bad in ipairs({ 0, -1, "soon" }) do
			local p = E.new({ options = E.options({ api_retry_max_delay = bad }) })
			local errors = p:logs_at("error")
			assert.are.equal(1, #errors)
			assert.truthy(errors[1]:find("'api_retry_max_delay'", 1, true), errors[1])
		end
	end)
end)

describe("Retry-After", function()
	for _, code in ipairs({ 429, 503 }) do
		it("on " .. code .. ": waits the given seconds instead of the backoff (no jitter)", function()
			local p = with({ retry_count = 2 }, { random = function() return 0 end })
			local w = waits(p, code, { ["Retry-After"] = "7" })
			near(7, w[1], "retry 1")
			near(7, w[2], "retry 2")
		end)

		it("on " .. code .. ": capped by api_retry_max_delay", function()
			local p = with({ api_retry_max_delay = 10, retry_count = 1 })
			near(10, waits(p, code, { ["retry-after"] = "3600" })[1])
			local q = with({ retry_count = 1 })
			near(60, waits(q, code, { ["retry-after"] = "3600" })[1], "default cap")
		end)

		it("on " .. code .. ": a non-numeric value (HTTP date) is ignored", function()
			local p = with({ retry_count = 2 })
			local w = waits(p, code, { ["Retry-After"] = "Wed, 21 Oct 2015 07:28:00 GMT" })
			near(1, w[1], "retry 1")
			near(2, w[2], "retry 2")
			local q = with({ retry_count = 1 })
			near(1, waits(q, code, { ["Retry-After"] = "-5" })[1], "negative")
		end)
	end

	it("is ignored on other retried codes (500)", function()
		local p = with({ retry_count = 2 })
		local w = waits(p, 500, { ["Retry-After"] = "7" })
		near(1, w[1], "retry 1")
		near(2, w[2], "retry 2")
	end)

	it("does not add attempts beyond retry_count", function()
		local p = with({ retry_count = 2 })
		waits(p, 429, { ["Retry-After"] = "1" })
		assert.are.equal(3, #p.requests)
		assert.are.equal(1, #p:logs_at("warn"))
	end)
end)

describe("the default retry rule (no api_should_retry_for_code)", function()
	for _, code in ipairs({ 408, 429, 500, 502, 503, 504, 599 }) do
		it("retries HTTP " .. code, function()
			local p = with({ retry_count = 1 })
			p:respond(1, code)
			p:advance(1)
			assert.are.equal(2, #p.requests)
			assert.are.same({}, p:logs_at("warn"))
		end)
	end

	for _, code in ipairs({ 400, 401, 403, 404, 409, 410, 422, 301, 302, 304 }) do
		it("gives up at once on HTTP " .. code, function()
			local p = with({ retry_count = 3 })
			p:respond(1, code)
			assert.are.equal(0, p:armed_timers())
			p:advance(120)
			assert.are.equal(1, #p.requests)
			local warns = p:logs_at("warn")
			assert.are.equal(1, #warns)
			assert.truthy(warns[1]:find(tostring(code), 1, true), warns[1])
		end)
	end
end)

describe("a custom api_should_retry_for_code", function()
	it("overrides the default: 404 retried, 429/503/500 not", function()
		local p = with({ retry_count = 5, api_should_retry_for_code = function(code) return code == 404 end })
		p:respond(1, 404)
		p:advance(1)
		assert.are.equal(2, #p.requests)
		for _, code in ipairs({ 429, 503, 500 }) do
			local q = with({ api_should_retry_for_code = function(c) return c == 404 end })
			q:respond(1, code, nil, { ["Retry-After"] = "1" })
			q:advance(120)
			assert.are.equal(1, #q.requests, "HTTP " .. code .. " was retried")
			assert.are.equal(1, #q:logs_at("warn"))
		end
	end)

	it("still gets Retry-After honoured on a 429 it chooses to retry", function()
		local p = with({ api_should_retry_for_code = function(code) return code == 429 end })
		near(9, waits(p, 429, { ["Retry-After"] = "9" }, 1)[1])
	end)

	it("cannot turn off retries of transport failures", function()
		local p = with({ api_should_retry_for_code = function() return false end })
		p:fail(1, "connection refused")
		p:advance(1)
		assert.are.equal(2, #p.requests)
	end)
end)
