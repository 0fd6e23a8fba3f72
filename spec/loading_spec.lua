-- Loading the built file: configuration, where hooks go, host discovery, no globals.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC
local MUC_EVENTS = { "muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed", "muc-broadcast-presence" }

local function total_hooks(p)
	local n = 0
	for host in pairs(p.hooks) do n = n + p:hook_count(host) end
	return n
end

describe("the fake Prosody environment", function()
	it("loads the built dist file with Prosody's util.envload and the real util.json", function()
		local p = E.new()
		assert.are.equal("util.envload", E.LOADER)
		assert.truthy(E.JSON_IMPL:find("^util%.json"), E.JSON_IMPL)
		assert.is_table(p.module)
	end)

	it("leaks no globals into _G and the module defines none in its environment", function()
		local before = {}
		for k, v in pairs(_G) do before[k] = v end
		local p = E.new({ options = E.options({ api_headers = { Authorization = "Bearer x" } }) })
		local room = E.room("globals")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		p:join(room, alice, E.session(alice.jid), true)
		p:respond(1, 500)
		p:advance(1)
		p:deliver_all(200)
		p:leave(room, alice, true)
		p:deliver_all(200)
		p:reload():unload()
		local added, changed = {}, {}
		for k, v in pairs(_G) do
			if before[k] == nil then added[#added + 1] = tostring(k)
			elseif before[k] ~= v then changed[#changed + 1] = tostring(k) end
		end
		assert.are.same({}, added)
		assert.are.same({}, changed)
		local env_added = {}
		for k in pairs(p.env) do
			if not p.env_keys[k] then env_added[#env_added + 1] = tostring(k) end
		end
		assert.are.same({}, env_added)
	end)
end)

describe("with a valid configuration", function()
	it("hooks the MUC events on the MUC host, host-activated and server-stopping globally", function()
		local p = E.new()
		for _, event in ipairs(MUC_EVENTS) do
			assert.are.equal(1, #p:handlers(MUC, event) - (event == "muc-occupant-left" and 1 or 0), event)
		end
		assert.are.equal(5, p:hook_count(MUC))
		-- the MUC host's, and the VirtualHosts' (their sessions' ends: disconnect_reason)
		assert.are.equal(2, #p.hooks["*"]["host-activated"])
		local stopping = p.hooks["*"]["server-stopping"]
		assert.are.equal(2, #stopping)
		table.sort(stopping, function(a, b) return a.priority > b.priority end)
		-- before mod_c2s closes the client sessions (0): their leaves are a shutdown's
		assert.is_true(stopping[1].priority > 0)
		-- the outbox's final write after mod_c2s has closed them and waited for them (-100)
		assert.is_true(stopping[2].priority < -100)
		assert.are.equal(4, p:hook_count("*"))
		assert.are.same({}, p:error_statuses())
		assert.are.same({}, p:logs_at("error"))
		assert.are.same({}, p:logs_at("warn"))
	end)

	it("runs its muc-occupant-left handler before mod_muc's room-destroying one (priority > -1)", function()
		local p = E.new()
		local ours = p.hooks[MUC]["muc-occupant-left"][1]
		assert.is_true(ours.priority > -1)
	end)

	it("says in the log which MUC component it reports", function()
		local p = E.new()
		local found = false
		for _, m in ipairs(p:logs_at("info")) do
			if m:find(MUC, 1, true) then found = true end
		end
		assert.is_true(found)
	end)

	it("accepts numeric strings for numbers and numbers for header values", function()
		local p = E.new({ options = E.options({ api_timeout = "5", retry_count = "0", api_headers = { ["X-Tenant"] = 42 } }) })
		assert.are.same({}, p:error_statuses())
		assert.are.equal(5, p:hook_count(MUC))
		p:fire(MUC, "muc-room-created", { room = E.room("n") })
		assert.are.equal("42", p.requests[1].headers["X-Tenant"])
		p:advance(5) -- timeout after 5 s, and retry_count 0: given up
		assert.are.equal(1, #p.destroyed)
		assert.are.equal(1, #p:logs_at("warn"))
	end)
end)

describe("a bad configuration", function()
	local cases = {
		{ "missing muc_component", { muc_component = false }, "muc_component" },
		{ "missing api_prefix", { api_prefix = false }, "api_prefix" },
		{ "empty api_prefix", { api_prefix = "" }, "api_prefix" },
		{ "api_prefix that is not an http(s) URL", { api_prefix = "api.example.com" }, "api_prefix" },
		{ "non-numeric api_timeout", { api_timeout = "soon" }, "api_timeout" },
		{ "zero api_timeout", { api_timeout = 0 }, "api_timeout" },
		{ "string api_headers", { api_headers = "X-Whatever" }, "api_headers" },
		{ "api_headers with a table value", { api_headers = { Authorization = { "x" } } }, "api_headers" },
		{ "negative retry_count", { retry_count = -1 }, "retry_count" },
		{ "fractional api_retry_count", { api_retry_count = 1.5 }, "api_retry_count" },
		{ "non-numeric api_retry_delay", { api_retry_delay = "later" }, "api_retry_delay" },
		{ "non-function api_should_retry_for_code", { api_should_retry_for_code = "500" }, "api_should_retry_for_code" },
		{ "unknown api_retry_backoff", { api_retry_backoff = "linear" }, "api_retry_backoff" },
		{ "zero api_retry_max_delay", { api_retry_max_delay = 0 }, "api_retry_max_delay" },
		{ "unknown event in api_events", { api_events = { "muc-room-exploded" } }, "api_events" },
		{ "malformed api_signing_secret", { api_signing_secret = "whsec_not-base64!" }, "api_signing_secret" },
	}
	for _, case in ipairs(cases) do
		local what, patch, option = case[1], case[2], case[3]
		it("(" .. what .. ") logs exactly one error naming '" .. option .. "' and places no hooks", function()
			local options = E.options()
			for k, v in pairs(patch) do
				if v == false then options[k] = nil else options[k] = v end
			end
			local p = E.new({ options = options })
			local errors = p:error_statuses()
			assert.are.equal(1, #errors)
			assert.truthy(errors[1]:find("'" .. option .. "'", 1, true), errors[1])
			assert.are.equal(1, #p:logs_at("error"))
			assert.are.equal(0, total_hooks(p))
			p:fire(MUC, "muc-room-created", { room = E.room("ignored") })
			assert.are.equal(0, #p.requests)
		end)
	end

	it("names every bad option in the single error line", function()
		local p = E.new({ options = { api_timeout = "soon" } })
		local errors = p:error_statuses()
		assert.are.equal(1, #errors)
		for _, option in ipairs({ "muc_component", "api_prefix", "api_timeout" }) do
			assert.truthy(errors[1]:find("'" .. option .. "'", 1, true), errors[1])
		end
		assert.are.equal(0, total_hooks(p))
	end)

	it("never echoes an api_headers value given as a plain string (it is a credential)", function()
		-- An operator who writes api_headers = "Bearer <token>" instead of a table must not get
		-- the token printed in the log (README: "Values are never logged").
		local p = E.new({ options = E.options({ api_headers = "Bearer s3cr3t-TOKEN-123" }) })
		assert.are.equal(1, #p:error_statuses())
		for _, entry in ipairs(p.logs) do
			assert.is_nil(entry.message:find("s3cr3t", 1, true), entry.message)
		end
		for _, s in ipairs(p.statuses) do
			assert.is_nil(s.message:find("s3cr3t", 1, true), s.message)
		end
	end)

	for _, case in ipairs({
		{ "a header the module writes itself (Content-Length)", { ["Content-Length"] = "5" } },
		{ "Host, in any case", { host = "evil.example" } },
		{ "a line break in a value (header injection)", { ["X-Tenant"] = "acme\r\nX-Injected: 1" } },
		{ "a name that is not a header name", { ["X Bad"] = "1" } },
	}) do
		it("rejects api_headers with " .. case[1] .. ": one error naming api_headers, nothing hooked", function()
			local p = E.new({ options = E.options({ api_headers = case[2] }) })
			local errors = p:error_statuses()
			assert.are.equal(1, #errors)
			assert.truthy(errors[1]:find("'api_headers'", 1, true), errors[1])
			assert.are.equal(0, p:hook_count(E.MUC))
		end)
	end

	it("never echoes header values when an entry is malformed", function()
		local p = E.new({ options = E.options({ api_headers = { Authorization = "Bearer s3cr3t-TOKEN-123", [1] = "x" } }) })
		assert.are.equal(1, #p:error_statuses())
		for _, entry in ipairs(p.logs) do
			assert.is_nil(entry.message:find("s3cr3t", 1, true), entry.message)
		end
	end)
end)

describe("retry_count and api_retry_count", function()
	it("warns when both are set to different values", function()
		local p = E.new({ options = E.options({ retry_count = 1, api_retry_count = 5 }) })
		local warns = p:logs_at("warn")
		assert.are.equal(1, #warns)
		assert.truthy(warns[1]:find("retry_count", 1, true))
	end)
end)

describe("a MUC component that is not active yet when the module loads", function()
	it("places no MUC hooks (not even on the global events) until host-activated names it", function()
		local p = E.new({ hosts = {} })
		assert.are.equal(0, p:hook_count(MUC))
		for _, event in ipairs(MUC_EVENTS) do
			assert.is_nil((p.hooks["*"] or {})[event], event .. " hooked globally")
		end
		local waiting = false
		for _, m in ipairs(p:logs_at("info")) do
			if m:find(MUC, 1, true) then waiting = true end
		end
		assert.is_true(waiting)

		p:activate_host("other.example.com")
		assert.are.equal(0, p:hook_count(MUC))

		p:activate_host(MUC)
		assert.are.equal(5, p:hook_count(MUC))
		p:fire(MUC, "muc-room-created", { room = E.room("late") })
		assert.are.equal(1, #p.requests)
		assert.are.equal("/events/room/created", p:path(1))
	end)
end)
