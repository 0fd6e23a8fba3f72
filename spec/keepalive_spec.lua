-- The keep-alive transport (api_keepalive = true, the default): HTTP/1.1 over net.connect with
-- connections reused per origin, on fake sockets (spec/helpers/prosody_env.lua: socket_*).
-- Responses are parsed by Prosody's real net.http.parser. math.random() is 0.5 (no jitter), so
-- the dispatcher's retries come exactly api_retry_delay * 2^(n-1) s after a failure.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC
local HTTP_PREFIX = "http://api.example.com:8080/hooks"

local function new(extra, opts)
	local options = E.options({ api_keepalive = true, api_prefix = HTTP_PREFIX })
	for k, v in pairs(extra or {}) do options[k] = v end
	opts = opts or {}
	opts.options = options
	return E.new(opts)
end

local function created(p, name)
	p:fire(MUC, "muc-room-created", { room = E.room(name) })
end

--- created + joined queued for one room.
local function room_with_alice(p, name)
	local room = E.room(name or "ka")
	local alice = E.occupant(room, "a", "alice@example.com/r")
	p:join(room, alice, E.session(alice.jid), true)
	return room, alice
end

--- The requests on socket i as { event_name, ... } (or room names with `field`).
local function sent(p, i, field)
	local out = {}
	for _, req in ipairs(p:socket_requests(i)) do
		local body = E.json.decode(req.body)
		out[#out + 1] = body[field or "event_name"]
	end
	return out
end

local function room_jid(name) return name .. "@" .. MUC end

local function count(p, metric) return p.metrics[metric].count end

local function has_log(p, level, pattern)
	for _, m in ipairs(p:logs_at(level)) do
		if m:find(pattern) then return m end
	end
	return nil
end

describe("keep-alive transport", function()
	it("is the default, and does not use net.http", function()
		local options = E.options()
		options.api_keepalive = nil
		local p = E.new({ options = options })
		created(p, "default")
		assert.are.equal(0, #p.requests)
		assert.are.equal(1, #p.sockets)
	end)

	describe("request on the wire", function()
		local FIXED_ID = "0b7c1a2e-0000-4000-8000-000000000001"
		-- Every id's 16 random bytes are FIXED_ID's.
		local FIXED_BYTES = "\11\124\26\46\0\0\64\0\128\0\0\0\0\0\0\1"
		local random = { bytes = function(n) return FIXED_BYTES:rep(math.ceil(n / 16)):sub(1, n) end }

		it("is an HTTP/1.1 POST with Host, Content-Length, keep-alive, our headers and the exact body", function()
			local p = new({ api_headers = { Authorization = "Bearer s3cret" } }, { modules = { ["util.random"] = random } })
			created(p, "wire")
			assert.are.equal(1, #p.sockets)
			local s = p:socket(1)
			assert.are.same({ host = "api.example.com", port = 8080, conn_type = "tcp",
				extra = { servername = "api.example.com" } }, s.resolver)
			assert.is_nil(s.options.sslctx)
			assert.are.equal("", p:socket_text(1)) -- nothing before the connection is up
			p:socket_connect(1)
			local reqs = p:socket_requests(1)
			assert.are.equal(1, #reqs)
			local req = reqs[1]
			assert.are.equal("POST", req.method)
			assert.are.equal("/hooks/events/room/created", req.target)
			assert.are.equal("1.1", req.version)
			assert.are.same({ "Host: api.example.com:8080", "Content-Length: " .. #req.body, "Connection: keep-alive" },
				{ req.header_lines[1], req.header_lines[2], req.header_lines[3] })
			assert.are.equal("application/json", req.headers["content-type"])
			assert.matches("^mod_event_sync_component/", req.headers["user-agent"])
			assert.are.equal("Bearer s3cret", req.headers["authorization"])
			assert.are.equal(FIXED_ID, req.headers["webhook-id"])
			assert.are.equal(7, #req.header_lines)

			-- The body is byte for byte what the net.http transport sends for the same event.
			local q = E.new({ options = E.options({ api_prefix = HTTP_PREFIX }), modules = { ["util.random"] = random } })
			created(q, "wire")
			assert.are.equal(q:request(1).body, req.body)
			assert.are.equal(FIXED_ID, E.json.decode(req.body).event_id)
		end)

		it("keeps the prefix's query in the target and leaves the default port out of Host", function()
			local p = new({ api_prefix = "http://api.example.com/in?key=abc" })
			created(p, "q")
			assert.are.equal(80, p:socket(1).resolver.port)
			p:socket_connect(1)
			local req = p:socket_requests(1)[1]
			assert.are.equal("/in/events/room/created?key=abc", req.target) -- the event path before the query
			assert.are.equal("api.example.com", req.headers.host)
		end)

		it("sends signature headers of each attempt #prosody_c", function()
			local secret = "whsec_" .. "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
			local p = new({ api_signing_secret = secret })
			created(p, "signed")
			p:socket_connect(1)
			local req = p:socket_requests(1)[1]
			assert.matches("^v1,", req.headers["webhook-signature"])
			assert.are.equal(tostring(p:now()), req.headers["webhook-timestamp"])
		end)
	end)

	describe("connection reuse", function()
		it("sends a room's consecutive events over one connection", function()
			local p = new()
			local room, alice = room_with_alice(p)
			assert.are.equal(1, #p.sockets)
			p:socket_connect(1)
			assert.are.same({ "muc-room-created" }, sent(p, 1))
			p:socket_respond(1, 200)
			-- the next event goes out on the same socket at once, no new net.connect
			assert.are.same({ "muc-room-created", "muc-occupant-joined" }, sent(p, 1))
			p:socket_respond(1, 204)
			p:advance(3)
			p:leave(room, alice, true)
			p:socket_respond(1, 200)
			p:socket_respond(1, 200)
			assert.are.same({ "muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed" },
				sent(p, 1))
			assert.are.equal(1, #p.sockets)
			assert.is_falsy(p:socket(1).closed)
			assert.are.equal(1, count(p, "delivered_room_destroyed"))
			assert.are.equal(0, #p.requests)
		end)

		it("opens up to api_max_connections connections for parallel rooms and queues the rest in order", function()
			local p = new({ api_max_connections = 2, api_pipeline_depth = 1 })
			for i = 1, 5 do created(p, "r" .. i) end
			assert.are.equal(2, #p.sockets)
			p:socket_connect(1)
			p:socket_connect(2)
			assert.are.same({ room_jid("r1") }, sent(p, 1, "room_jid"))
			assert.are.same({ room_jid("r2") }, sent(p, 2, "room_jid"))
			p:socket_respond(2, 200) -- the first free connection takes the oldest waiting request
			assert.are.same({ room_jid("r2"), room_jid("r3") }, sent(p, 2, "room_jid"))
			p:socket_respond(1, 200)
			assert.are.same({ room_jid("r1"), room_jid("r4") }, sent(p, 1, "room_jid"))
			p:socket_respond(1, 200)
			assert.are.same({ room_jid("r1"), room_jid("r4"), room_jid("r5") }, sent(p, 1, "room_jid"))
			p:socket_respond(1, 200)
			p:socket_respond(2, 200)
			assert.are.equal(2, #p.sockets)
			assert.are.equal(5, count(p, "delivered_room_created"))
		end)

		it("opens at most 4 connections by default", function()
			local p = new({ api_pipeline_depth = 1 })
			for i = 1, 7 do created(p, "d" .. i) end
			assert.are.equal(4, #p.sockets)
			for i = 1, 4 do p:socket_connect(i) end
			for i = 1, 4 do p:socket_respond(i, 200) end
			assert.are.equal(4, #p.sockets)
			assert.are.same({ room_jid("d1"), room_jid("d5") }, sent(p, 1, "room_jid"))
			assert.are.same({ room_jid("d3"), room_jid("d7") }, sent(p, 3, "room_jid"))
			assert.are.same({ room_jid("d4") }, sent(p, 4, "room_jid"))
		end)

		it("closes a connection idle for 4 s; the next request opens a new one", function()
			local p = new()
			created(p, "idle1")
			p:socket_connect(1)
			p:socket_respond(1, 200)
			p:advance(3)
			created(p, "idle2") -- reused: the idle timer starts again after this answer
			assert.are.equal(1, #p.sockets)
			p:socket_respond(1, 200)
			p:advance(3.9)
			assert.is_falsy(p:socket(1).closed)
			p:advance(0.1)
			assert.is_true(p:socket(1).closed)
			assert.are.equal("client", p:socket(1).closed_by)
			assert.are.equal(0, p:open_sockets())
			created(p, "idle3")
			assert.are.equal(2, #p.sockets)
			p:socket_connect(2)
			assert.are.same({ room_jid("idle3") }, sent(p, 2, "room_jid"))
			assert.are.equal(2, #sent(p, 1))
		end)

		it("does not count time spent waiting for a free connection toward api_timeout", function()
			local p = new({ api_max_connections = 1, api_timeout = 5 })
			created(p, "first")
			created(p, "second") -- waits: the only connection is busy with the first room's event
			assert.are.equal(1, #p.sockets)
			p:socket_connect(1)
			p:advance(4)
			p:socket_respond(1, 200) -- the second room's event is written now, 4 s after it was queued
			p:advance(4) -- 8 s after queueing, 4 s after sending: within api_timeout
			p:socket_respond(1, 200)
			assert.are.same({ room_jid("first"), room_jid("second") }, sent(p, 1, "room_jid"))
			assert.are.equal(0, p.metrics.retried_room_created.count)
			assert.are.equal(2, p.metrics.delivered_room_created.count)
		end)

		it("times a request out api_timeout after it was sent, closing its connection", function()
			local p = new({ api_max_connections = 1, api_timeout = 5, retry_count = 0 })
			created(p, "slow")
			p:socket_connect(1)
			p:advance(4.9)
			assert.is_falsy(p:socket(1).closed)
			p:advance(0.1)
			assert.is_true(p:socket(1).closed)
			assert.are.equal(1, p.metrics.gave_up_room_created.count)
		end)

		it("closes its idle connections when the module unloads (no timer would do it later)", function()
			local p = new()
			created(p, "unload")
			p:socket_connect(1)
			p:socket_respond(1, 200)
			assert.is_falsy(p:socket(1).closed)
			p:unload()
			assert.is_true(p:socket(1).closed)
			assert.are.equal(0, p:open_sockets())
		end)

		local closing = {
			["Connection: close"] = { headers = { "Connection: close" } },
			["Connection: Keep-Alive, Close (any case, any position)"] = { headers = { "Connection: Keep-Alive, Close" } },
			["HTTP/1.0"] = { version = "1.0" },
		}
		for what, response in pairs(closing) do
			it("closes the connection after a response with " .. what .. "; the next request uses a new one", function()
				local p = new()
				room_with_alice(p)
				p:socket_connect(1)
				p:socket_respond(1, 200, response)
				assert.is_true(p:socket(1).closed)
				assert.are.equal("client", p:socket(1).closed_by)
				assert.are.equal(2, #p.sockets)
				assert.are.same({ "muc-room-created" }, sent(p, 1))
				p:socket_connect(2)
				assert.are.same({ "muc-occupant-joined" }, sent(p, 2))
				assert.are.equal(1, count(p, "delivered_room_created"))
				assert.are.equal(0, count(p, "retried_occupant_joined"))
			end)
		end

		it("opens a new connection after the server closed an idle one", function()
			local p = new()
			created(p, "a")
			p:socket_connect(1)
			p:socket_respond(1, 200)
			p:socket_close(1)
			assert.are.equal(0, p:open_sockets())
			created(p, "b")
			assert.are.equal(2, #p.sockets)
			p:socket_connect(2)
			assert.are.same({ room_jid("b") }, sent(p, 2, "room_jid"))
		end)
	end)

	describe("connection failures", function()
		it("re-sends a request once on a fresh connection when a reused one closes before answering", function()
			local p = new()
			room_with_alice(p)
			p:socket_connect(1)
			p:socket_respond(1, 200)
			assert.are.same({ "muc-room-created", "muc-occupant-joined" }, sent(p, 1))
			p:socket_close(1) -- the server had closed the idle connection: no byte of an answer
			assert.are.equal(2, #p.sockets) -- at once, not after a dispatcher retry
			assert.are.equal(0, count(p, "retried_occupant_joined"))
			p:socket_connect(2)
			local first, again = p:socket_requests(1)[2], p:socket_requests(2)[1]
			assert.are.equal(first.body, again.body)
			assert.are.equal(first.headers["webhook-id"], again.headers["webhook-id"])
			-- a second silent drop is a transport failure: the dispatcher's retry, after 1 s
			p:socket_close(2)
			assert.are.equal(2, #p.sockets)
			assert.are.equal(1, count(p, "retried_occupant_joined"))
			assert.truthy(has_log(p, "debug", "Retrying muc%-occupant%-joined .* in 1%.0s: closed"))
			p:advance(0.99)
			assert.are.equal(2, #p.sockets)
			p:advance(0.01)
			assert.are.equal(3, #p.sockets)
			p:socket_connect(3)
			assert.are.same({ "muc-occupant-joined" }, sent(p, 3))
			p:socket_respond(3, 200)
			assert.are.equal(1, count(p, "delivered_occupant_joined"))
		end)

		it("fails (code 0) a request whose fresh connection drops, and the dispatcher retries it", function()
			local p = new()
			created(p, "fresh")
			p:socket_connect(1)
			p:socket_close(1, "connection reset")
			assert.are.equal(1, #p.sockets)
			assert.are.equal(1, count(p, "retried_room_created"))
			assert.truthy(has_log(p, "debug", "Retrying muc%-room%-created .*: connection reset"))
			p:advance(1)
			assert.are.equal(2, #p.sockets)
			p:socket_connect(2)
			p:socket_respond(2, 200)
			assert.are.equal(1, count(p, "delivered_room_created"))
		end)

		it("does not re-send a request once part of its answer arrived", function()
			local p = new()
			room_with_alice(p)
			p:socket_connect(1)
			p:socket_respond(1, 200)
			p:socket_send(1, "HTTP/1.1 200 O")
			p:socket_close(1)
			assert.are.equal(1, #p.sockets)
			assert.are.equal(1, count(p, "retried_occupant_joined"))
			assert.truthy(has_log(p, "debug", "Retrying muc%-occupant%-joined .*: bad response: unexpected%-eof"))
		end)

		it("counts an answer whose status arrived but whose body was cut by its status (only the status matters)", function()
			for _, cut in ipairs({ "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n" }) do
				local p = new()
				room_with_alice(p)
				p:socket_connect(1)
				p:socket_respond(1, 200)
				p:socket_send(1, cut)
				p:socket_close(1)
				assert.are.equal(1, #p.sockets)
				assert.are.equal(0, count(p, "retried_occupant_joined"))
				assert.are.equal(1, count(p, "delivered_occupant_joined"))
			end
		end)

		it("reports net.connect's onfail as code 0 with its reason (or 'connection failed')", function()
			local p = new({ retry_count = 0 })
			created(p, "refused")
			created(p, "unknown")
			p:socket_fail(1, "connection refused")
			p:socket_fail(2, nil)
			assert.truthy(has_log(p, "warn", "Gave up delivering muc%-room%-created for room refused@.*: connection refused after 1 attempts"))
			assert.truthy(has_log(p, "warn", "Gave up delivering muc%-room%-created for room unknown@.*: connection failed after 1 attempts"))
			assert.are.equal(2, count(p, "gave_up_room_created"))
		end)

		it("retries after onfail per the backoff, and a failed attempt frees its connection slot", function()
			local p = new({ api_max_connections = 1, api_pipeline_depth = 1 })
			created(p, "one")
			created(p, "two")
			assert.are.equal(1, #p.sockets)
			p:socket_fail(1, "connection refused")
			assert.are.equal(2, #p.sockets) -- the waiting room goes ahead at once
			p:socket_connect(2)
			assert.are.same({ room_jid("two") }, sent(p, 2, "room_jid"))
			p:socket_respond(2, 200)
			p:advance(1) -- room one's retry reuses the idle connection
			assert.are.equal(2, #p.sockets)
			assert.are.same({ room_jid("two"), room_jid("one") }, sent(p, 2, "room_jid"))
		end)

		it("logs no error and no warning when everything works", function()
			local p = new()
			room_with_alice(p)
			p:socket_connect(1)
			p:socket_respond(1, 200)
			p:socket_respond(1, 200)
			p:advance(10)
			assert.are.same({}, p:logs_at("warn"))
			assert.are.same({}, p:logs_at("error"))
		end)
	end)

	for _, mode in ipairs({ "synchronous", "asynchronous" }) do
		describe("api_timeout (conn:close() " .. mode .. ")", function()
			it("closes the connection, ignores the late answer, and retries on a new connection", function()
				local p = new({ api_timeout = 5 })
				p.close_async = mode == "asynchronous"
				room_with_alice(p)
				p:socket_connect(1)
				p:advance(4.9)
				assert.is_falsy(p:socket(1).closed)
				p:advance(0.1)
				assert.are.equal("client", p:socket(1).closed_by)
				assert.is_true(p:socket(1).closing or p:socket(1).closed)
				assert.are.equal(1, count(p, "retried_room_created"))
				assert.truthy(has_log(p, "debug", "Retrying muc%-room%-created .*: timed out after 5s"))
				p:advance(0.5)
				assert.is_true(p:socket(1).closed)
				assert.are.equal(0, p:open_sockets())
				-- the answer arriving late (already read) changes nothing
				p:socket_send(1, E.http_response(200), { force = true })
				assert.are.equal(0, count(p, "delivered_room_created"))
				assert.are.equal(1, #p.sockets)
				p:advance(0.5)
				assert.are.equal(2, #p.sockets)
				p:socket_connect(2)
				assert.are.same({ "muc-room-created" }, sent(p, 2))
				p:socket_respond(2, 200)
				assert.are.same({ "muc-room-created", "muc-occupant-joined" }, sent(p, 2))
				p:socket_respond(2, 200)
				assert.are.equal(1, count(p, "delivered_room_created"))
				assert.are.equal(1, count(p, "delivered_occupant_joined"))
				assert.are.same({ "muc-room-created" }, sent(p, 1))
			end)

			it("idle-closes and cancels without double ondisconnect trouble under load", function()
				local p = new({ api_timeout = 2, api_max_connections = 2 })
				p.close_async = mode == "asynchronous"
				for i = 1, 4 do created(p, "t" .. i) end
				p:socket_connect(1)
				p:socket_connect(2)
				p:advance(2) -- both time out; both connections closed
				p:advance(1) -- four retries: two connections again, two waiting
				assert.are.equal(4, #p.sockets)
				p:socket_connect(3)
				p:socket_connect(4)
				for _ = 1, 2 do
					p:socket_respond(3, 200)
					p:socket_respond(4, 200)
				end
				assert.are.equal(4, count(p, "delivered_room_created"))
				assert.are.equal(4, #p.sockets)
				p:advance(4)
				assert.are.equal(0, p:open_sockets())
			end)
		end)
	end

	it("holds a waiting retry until a slow connection attempt completes (api_max_connections = 1)", function()
		local p = new({ api_timeout = 5, api_max_connections = 1 })
		created(p, "slow")
		p:advance(6) -- timed out while connecting; the retry waits for the only slot
		assert.are.equal(1, #p.sockets)
		p:socket_connect(1)
		assert.are.same({ "muc-room-created" }, sent(p, 1))
		p:socket_respond(1, 200)
		assert.are.equal(1, count(p, "delivered_room_created"))
	end)

	describe("responses", function()
		it("honours a 503's Retry-After", function()
			local p = new()
			created(p, "ra")
			p:socket_connect(1)
			p:socket_respond(1, 503, { headers = { "Retry-After: 3" } })
			p:advance(2.9)
			assert.are.equal(1, #sent(p, 1))
			p:advance(0.1)
			assert.are.equal(2, #sent(p, 1)) -- 3 s < idle timeout: same connection
			p:socket_respond(1, 200)
			assert.are.equal(1, count(p, "delivered_room_created"))
		end)

		it("honours a 429's Retry-After past the idle timeout on a new connection", function()
			local p = new()
			created(p, "ra")
			p:socket_connect(1)
			p:socket_respond(1, 429, { headers = { ["Retry-After"] = "7" } })
			p:advance(6.9)
			assert.are.equal(1, #p.sockets)
			assert.is_true(p:socket(1).closed)
			p:advance(0.1)
			assert.are.equal(2, #p.sockets)
		end)

		it("parses a chunked response body and keeps the connection", function()
			local p = new()
			room_with_alice(p)
			p:socket_connect(1)
			p:socket_respond(1, 200, { chunks = { '{"ok":', "true}" } })
			assert.are.same({ "muc-room-created", "muc-occupant-joined" }, sent(p, 1))
			assert.are.equal(1, count(p, "delivered_room_created"))
		end)

		it("waits for the last chunk of a chunked answer before the connection serves the next request", function()
			local p = new()
			room_with_alice(p)
			p:socket_connect(1)
			local text = E.http_response(200, { chunks = { '{"ok":', "true}" } })
			local cut = text:find("true}", 1, true)
			p:socket_send(1, text:sub(1, cut - 1))
			assert.are.equal(0, count(p, "delivered_room_created"))
			assert.are.equal(1, #sent(p, 1))
			p:socket_send(1, text:sub(cut))
			assert.are.equal(1, count(p, "delivered_room_created"))
			assert.are.equal(2, #sent(p, 1))
		end)

		it("parses a response that arrives one byte at a time", function()
			local p = new()
			room_with_alice(p)
			p:socket_connect(1)
			local text = E.http_response(400, { body = '{"error":"nope"}' })
			for i = 1, #text do p:socket_send(1, text:sub(i, i)) end
			assert.are.equal(1, count(p, "gave_up_room_created"))
			assert.are.same({ "muc-room-created", "muc-occupant-joined" }, sent(p, 1))
		end)

		it("fails a garbled response with code 0 and closes the connection", function()
			local p = new()
			created(p, "bad")
			p:socket_connect(1)
			p:socket_send(1, "SMTP ready\r\n\r\n")
			assert.is_true(p:socket(1).closed)
			assert.truthy(has_log(p, "debug", "Retrying muc%-room%-created .*: bad response: invalid%-status%-line"))
		end)

		it("refuses an invalid URL in the configuration, without echoing it, and connects nowhere", function()
			local p = new({ api_prefix = "http://[::1/p?token=SECRET", retry_count = 0 })
			created(p, "url")
			assert.are.equal(0, #p.sockets)
			assert.matches("option 'api_prefix' must be an http:// or https:// URL", p.statuses[#p.statuses].message)
			assert.is_nil(p.statuses[#p.statuses].message:find("SECRET", 1, true))
		end)

		it("refuses a URL with a blank or a line break (it would end up in the request line)", function()
			for _, url in ipairs({ "http://api.example.com/a b", "http://api.example.com/a\r\nX-Evil: 1", "http://api.example.com/\t" }) do
				local p = new({ api_prefix = url })
				created(p, "url")
				assert.are.equal(0, #p.sockets)
				assert.matches("option 'api_prefix' must be an http:// or https:// URL", p.statuses[#p.statuses].message)
			end
		end)

		it("turns credentials in the URL into Basic authentication, as net.http does #prosody_c", function()
			local p = new({ api_prefix = "https://user:pw@api.example.com/p" })
			created(p, "url")
			assert.are.equal(1, #p.sockets)
			assert.are.equal("api.example.com", p:socket(1).resolver.host)
			p:socket_connect(1, { ssl = true, verified = true, cert = "cert for api.example.com" })
			local text = p:socket_text(1)
			assert.truthy(text:find("\r\nAuthorization: Basic dXNlcjpwdw==\r\n", 1, true), text)
			assert.truthy(text:find("^POST /p/events/room/created HTTP/1.1\r\nHost: api.example.com\r\n"), text)
			for _, entry in ipairs(p.logs) do assert.is_nil(entry.message:find("user:pw", 1, true), entry.message) end
		end)
	end)

	describe("https", function()
		local function https(extra)
			local p = new(extra)
			local calls = {}
			local real = p.netfakes["core.certmanager"].create_context
			p.netfakes["core.certmanager"].create_context = function(...)
				calls[#calls + 1] = { ... }
				return real(...)
			end
			return p, calls
		end

		it("connects with certmanager's client context (created once, lazily) and SNI", function()
			local p, calls = https({ api_prefix = "https://api.example.com/prosody", retry_count = 0 })
			assert.are.equal(0, #calls)
			created(p, "s1")
			created(p, "s2")
			assert.are.equal(1, #calls)
			-- Prosody's own HTTP client context name: no certificate of ours is looked up
			assert.are.equal("client_https port 0", calls[1][1])
			assert.are.equal("client", calls[1][2])
			local overrides = calls[1][3]
			assert.are.same({ "peer", "client_once" }, overrides.verify)
			local s1, s2 = p:socket(1), p:socket(2)
			assert.is_true(s1.options.sslctx.fake_tls_context)
			assert.are.equal(s1.options.sslctx, s2.options.sslctx)
			assert.are.same({ host = "api.example.com", port = 443, conn_type = "tcp",
				extra = { servername = "api.example.com" } }, s1.resolver)
			p:socket_connect(1, { ssl = true })
			local req = p:socket_requests(1)[1]
			assert.are.equal("api.example.com", req.headers.host)
			assert.are.equal("/prosody/events/room/created", req.target)
			p:socket_respond(1, 200)
			assert.are.equal(1, count(p, "delivered_room_created"))
		end)

		local bad = {
			["an unverified chain"] = { ssl = true, verified = false },
			["a certificate for another host"] = { ssl = true, cert = "cert for evil.example.net" },
			["no certificate"] = { ssl = true, cert = false },
			["no TLS at all"] = { ssl = false },
		}
		for what, peer in pairs(bad) do
			it("refuses a peer with " .. what .. ": certificate-verify-failed, connection closed, nothing sent", function()
				local p = https({ api_prefix = "https://api.example.com/prosody", retry_count = 0 })
				created(p, "tls")
				p:socket_connect(1, peer)
				assert.are.equal("", p:socket_text(1))
				assert.is_true(p:socket(1).closed)
				assert.are.equal("client", p:socket(1).closed_by)
				assert.truthy(has_log(p, "warn", "Gave up delivering muc%-room%-created .*: certificate%-verify%-failed"))
				assert.are.equal(0, p:open_sockets())
			end)
		end

		it("never creates a TLS context for an http API", function()
			local p, calls = https({ api_prefix = HTTP_PREFIX })
			created(p, "plain")
			p:socket_connect(1)
			assert.are.equal(0, #calls)
		end)

		it("fails with code 0 when no TLS context can be made, logging why", function()
			local p = new({ api_prefix = "https://api.example.com/prosody", retry_count = 0 })
			p.netfakes["core.certmanager"].create_context = function() return nil, "no CA path" end
			created(p, "notls")
			assert.are.equal(0, #p.sockets)
			assert.truthy(has_log(p, "error", "Cannot create a TLS context for https %(api_prefix%): no CA path"))
			assert.truthy(has_log(p, "warn", "Gave up delivering .*: TLS is not available for https"))
			-- a failure is remembered: one error line, not one per request
			created(p, "notls2")
			local errors = 0
			for _, entry in ipairs(p.logs) do
				if entry.level == "error" then errors = errors + 1 end
			end
			assert.are.equal(1, errors)
		end)
	end)

	it("cancels the request in flight on unload, closing its connection", function()
		local p = new()
		created(p, "unload")
		p:socket_connect(1)
		p:unload()
		assert.is_true(p:socket(1).closed)
		assert.are.equal("client", p:socket(1).closed_by)
	end)
end)

describe("connections opened when a client logs in", function()
	local VHOST = "example.com"
	local function with_vhost(extra)
		local p = new(extra)
		p.world.hosts[VHOST] = { host = VHOST, type = "local", modules = {} }
		p:fire("*", "host-activated", VHOST)
		return p
	end
	local function login(p) p:fire(VHOST, "resource-bind", { session = E.session("someone@example.com/r") }) end

	it("opens api_max_connections before the first join, so its webhooks wait for no connect", function()
		local p = with_vhost({ api_max_connections = 3 })
		assert.are.equal(0, #p.sockets)
		login(p)
		assert.are.equal(3, #p.sockets)
		for i = 1, 3 do p:socket_connect(i) end
		room_with_alice(p, "warm")
		p:advance(0)
		local written = {}
		for i = 1, 3 do
			for _, name in ipairs(sent(p, i)) do written[#written + 1] = name end
		end
		assert.are.same({ "muc-room-created" }, written) -- written at once on an open connection
		assert.are.equal(3, #p.sockets) -- nothing new opened
	end)

	it("does nothing while a connection is open, and at most once per idle period", function()
		local p = with_vhost()
		login(p)
		assert.are.equal(4, #p.sockets)
		for i = 1, 4 do p:socket_fail(i, "connection refused") end -- the API is down
		login(p)
		login(p)
		assert.are.equal(4, #p.sockets) -- no connection storm at every login
		p:advance(4.5)
		login(p)
		assert.are.equal(4, #p.sockets) -- nothing connected last time: it waits twice as long
		p:advance(4)
		login(p)
		assert.are.equal(8, #p.sockets) -- 8.5 s later: tried again
		p:socket_connect(5)
		for i = 6, 8 do p:socket_fail(i, "connection refused") end
		p:advance(5)
		assert.is_true(p:socket(5).closed) -- unused: closed after the idle timeout
		created(p, "later")
		p:advance(0)
		assert.are.equal(9, #p.sockets) -- the request's own connection
		login(p) -- a connection is open: nothing more
		assert.are.equal(9, #p.sockets)
	end)

	it("backs off up to a minute while the API stays down, and is back to 4 s once a connection is made", function()
		local p = with_vhost({ api_max_connections = 1 })
		local attempts = {}
		for second = 0, 180 do
			login(p)
			if #p.sockets > #attempts then
				attempts[#attempts + 1] = second
				p:socket_fail(#p.sockets, "connection refused")
			end
			p:advance(1)
		end
		-- 0, then after 8, 16, 32, 60, 60 s: a login every second drives 6 attempts in 3 minutes
		assert.are.same({ 0, 8, 24, 56, 116, 176 }, attempts)
		p:advance(60)
		login(p)
		p:socket_connect(#p.sockets) -- the API is back
		p:advance(5) -- unused: closed when idle
		local before = #p.sockets
		login(p)
		assert.are.equal(before + 1, #p.sockets) -- 5 s after a warm-up that connected: again
	end)

	it("sends a request again on a fresh connection when the API closes the idle warm one as it is written", function()
		local p = with_vhost({ api_max_connections = 1 })
		login(p)
		p:socket_connect(1)
		p:advance(2) -- idle
		created(p, "crossed")
		p:advance(0)
		assert.are.equal(1, #p:socket_requests(1))
		p:socket_close(1) -- the API's idle close crossed our write
		assert.are.equal(2, #p.sockets) -- resent at once, not an attempt of its own
		p:socket_connect(2)
		assert.are.same({ "muc-room-created" }, sent(p, 2))
		assert.are.equal(0, p.metrics["retried_room_created"].count)
	end)

	it("is not done with api_keepalive = false (net.http opens a connection per request anyway)", function()
		local p = with_vhost({ api_keepalive = false })
		login(p)
		assert.are.equal(0, #p.sockets)
		assert.are.equal(0, #p.requests)
	end)
end)
