-- Issue 13, transport items: the URL as configured (scheme/host case, credentials, query,
-- IPv6), what is logged of it, answers a hostile or odd API may give (1xx, a 301 with a body,
-- huge bodies), headers that would change the answer's framing, signatures made when a
-- request is written, and how many requests wait on one connection. Both transports: net.http
-- (the fake in spec/helpers/prosody_env.lua, whose answers are fed to the request's `parser`
-- as net.http does) and the keep-alive one (fake sockets).
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC
local SECRET = "whsec_" .. "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

local function new(extra, keepalive)
	local options = E.options({ api_keepalive = keepalive or false })
	if keepalive then options.api_prefix = "http://api.example.com/prosody" end
	for k, v in pairs(extra or {}) do options[k] = v end
	return E.new({ options = options })
end

local function created(p, name) p:fire(MUC, "muc-room-created", { room = E.room(name) }) end
local function count(p, metric) return p.metrics[metric].count end

local function room_with_alice(p, name)
	local room = E.room(name or "ka")
	local alice = E.occupant(room, "a", "alice@example.com/r")
	p:join(room, alice, E.session(alice.jid), true)
	return room, alice
end

--- Every log line (and status) as one string.
local function all_logs(p)
	local out = {}
	for _, level in ipairs({ "debug", "info", "warn", "error" }) do
		for _, m in ipairs(p:logs_at(level)) do out[#out + 1] = m end
	end
	for _, s in ipairs(p.statuses) do out[#out + 1] = s.message end
	return table.concat(out, "\n")
end

--- Feeds raw answer bytes to net.http request i as net.http does: to its parser.
local function net_http_answer(p, i, text, eof)
	local req = p:request(i)
	assert(req.parser, "the transport gave net.http no parser")
	req.parser:feed(text)
	if eof then req.parser:feed(nil) end
end

local OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"

describe("the configured URL", function()
	it("is normalised: HTTPS in any case stays https, host in lower case (net.http)", function()
		for _, prefix in ipairs({ "HTTPS://API.Example.COM/Hooks/", "hTtPs://api.example.com/Hooks" }) do
			local p = new({ api_prefix = prefix })
			created(p, "x")
			assert.are.equal("https://api.example.com/Hooks/events/room/created", p:request(1).url)
		end
	end)

	it("is normalised: HTTPS in any case stays https (keep-alive: TLS on port 443)", function()
		local p = new({ api_prefix = "HTTPS://API.Example.COM/Hooks" }, true)
		created(p, "x")
		local s = p:socket(1)
		assert.are.same({ host = "api.example.com", port = 443, conn_type = "tcp", extra = { servername = "api.example.com" } }, s.resolver)
		assert.truthy(s.options.sslctx)
	end)

	it("puts the event path before the prefix's query, on both transports", function()
		local p = new({ api_prefix = "https://api.example.com/hook/?token=SECRET" })
		created(p, "x")
		assert.are.equal("https://api.example.com/hook/events/room/created?token=SECRET", p:request(1).url)
		local q = new({ api_prefix = "http://api.example.com/hook?token=SECRET" }, true)
		created(q, "x")
		q:socket_connect(1)
		assert.are.equal("/hook/events/room/created?token=SECRET", q:socket_requests(1)[1].target)
	end)

	it("brackets an IPv6 literal in Host with api_keepalive = false", function()
		local p = new({ api_prefix = "http://[::1]:8080/hook" })
		created(p, "x")
		assert.are.equal("[::1]:8080", p:request(1).options.headers.Host)
		assert.are.equal("http://[::1]:8080/hook/events/room/created", p:request(1).url)
	end)

	it("logs scheme, host, port and path only: no credentials, no query, on any log line #prosody_c", function()
		for _, keepalive in ipairs({ false, true }) do
			local p = new({
				api_prefix = "https://user:pa%2Fss%3Fw%23rd@api.example.com/hook?token=QUERYSECRET",
				api_headers = { ["X-Api-Key"] = "HEADERSECRET" },
				api_signing_secret = SECRET,
				retry_count = 1,
			}, keepalive)
			created(p, "x")
			if keepalive then
				p:socket_connect(1, { ssl = true })
				p:socket_respond(1, 503)
				p:advance(1)
				p:socket_send(1, "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n")
				p:socket_close(1, "connection refused")
			else
				p:respond(1, 503)
				p:advance(1)
				p:fail(2, "connection refused")
			end
			local text = all_logs(p)
			assert.matches("posting to https://api.example.com:443/hook", text, 1, true)
			for _, secret in ipairs({ "QUERYSECRET", "HEADERSECRET", "pa%2F", "pa/ss", "user", "MfKQ9r8", "token" }) do
				assert.is_nil(text:find(secret, 1, true), secret .. " was logged")
			end
		end
	end)

	it("sends percent-encoded credentials decoded, as Basic authentication, on both transports #prosody_c", function()
		local expected = "Basic " .. require("util.encodings").base64.encode("user:pa/ss?w#rd")
		local p = new({ api_prefix = "https://user:pa%2Fss%3Fw%23rd@api.example.com/hook" })
		created(p, "x")
		assert.are.equal(expected, p:request(1).options.headers.Authorization)
		assert.is_nil(p:request(1).url:find("user", 1, true))
		local q = new({ api_prefix = "https://user:pa%2Fss%3Fw%23rd@api.example.com/hook" }, true)
		created(q, "x")
		q:socket_connect(1, { ssl = true })
		assert.are.equal(expected, q:socket_requests(1)[1].headers.authorization)
	end)

	it("refuses credentials with a raw '/', '?' or '#' without echoing them", function()
		for _, prefix in ipairs({ "https://user:ab/cd@api.example.com/hook", "https://user:12/cd@api.example.com/hook",
			"https://user:ab?cd@api.example.com/hook", "https://user:ab#cd@api.example.com/hook" }) do
			local p = new({ api_prefix = prefix })
			created(p, "x")
			assert.are.equal(0, #p.requests)
			local text = all_logs(p)
			assert.matches("api_prefix", text)
			assert.is_nil(text:find("cd", 1, true), prefix)
		end
	end)

	it("reserves Expect, TE, Upgrade and Keep-Alive in api_headers", function()
		for _, name in ipairs({ "Expect", "te", "UPGRADE", "Keep-Alive" }) do
			local p = new({ api_headers = { [name] = "x" } })
			created(p, "x")
			assert.are.equal(0, #p.requests)
			assert.matches("api_headers.*cannot set the header", all_logs(p))
		end
	end)
end)

describe("interim and odd answers", function()
	it("skips 1xx answers and takes the final one (net.http)", function()
		local p = new()
		created(p, "x")
		net_http_answer(p, 1, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n")
		assert.are.equal(0, count(p, "delivered_room_created"))
		net_http_answer(p, 1, "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" .. OK)
		assert.are.equal(1, count(p, "delivered_room_created"))
		assert.are.equal(0, count(p, "gave_up_room_created"))
		assert.are.equal(1, #p.destroyed) -- our reader read the answer: the connection is closed
	end)

	it("skips 1xx answers: later answers stay on their requests (keep-alive)", function()
		local p = new({}, true)
		room_with_alice(p)
		p:socket_connect(1)
		p:socket_send(1, "HTTP/1.1 102 Processing\r\n\r\n")
		assert.are.equal(0, count(p, "gave_up_room_created"))
		p:socket_send(1, OK)
		assert.are.equal(1, count(p, "delivered_room_created"))
		p:socket_send(1, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n")
		assert.are.equal(0, count(p, "delivered_occupant_joined"))
		assert.are.equal(1, count(p, "retried_occupant_joined"))
	end)

	it("reads a 301's body, so the answer behind it is not lost (keep-alive, pipelined)", function()
		local p = new({ api_max_connections = 1 }, true)
		created(p, "a")
		created(p, "b")
		p:socket_connect(1)
		assert.are.equal(2, #p:socket_requests(1))
		p:socket_send(1, "HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\nContent-Length: 5\r\n\r\nhello" .. OK)
		assert.are.equal(1, count(p, "gave_up_room_created"))
		assert.are.equal(1, count(p, "delivered_room_created"))
		assert.are.equal(0, count(p, "retried_room_created"))
		assert.is_false(p:socket(1).closed == true)
	end)

	it("counts a 2xx whose body is over Prosody's parser limit as delivered, once (net.http)", function()
		local p = new()
		created(p, "x")
		local size = 11 * 1024 * 1024
		net_http_answer(p, 1, ("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n"):format(size))
		net_http_answer(p, 1, ("x"):rep(64 * 1024))
		p:advance(30)
		assert.are.equal(1, count(p, "delivered_room_created"))
		assert.are.equal(0, count(p, "retried_room_created"))
		assert.are.equal(1, #p.requests)
	end)

	it("counts a 2xx whose body is over Prosody's parser limit as delivered, once (keep-alive)", function()
		for _, head in ipairs({ "Content-Length: " .. 11 * 1024 * 1024, "Transfer-Encoding: chunked" }) do
			local p = new({}, true)
			room_with_alice(p)
			p:socket_connect(1)
			p:socket_send(1, "HTTP/1.1 200 OK\r\n" .. head .. "\r\n\r\n")
			local piece = head:find("chunked") and ("%x\r\n%s\r\n"):format(1024 * 1024, ("x"):rep(1024 * 1024)) or ("x"):rep(1024 * 1024)
			for _ = 1, 11 do
				if p:socket(1).closed then break end
				p:socket_send(1, piece)
			end
			p:advance(30)
			assert.are.equal(1, count(p, "delivered_room_created"))
			assert.are.equal(0, count(p, "retried_room_created"))
			-- the connection was given up (body past our bound); joined goes on a new one
			assert.is_true(p:socket(1).closed)
			p:socket_connect(2)
			assert.are.same({ "/prosody/events/occupant/joined" }, { p:socket_requests(2)[1].target })
		end
	end)
end)

describe("signatures and waiting requests", function()
	it("signs a request when it is written, not when it was queued (keep-alive) #prosody_c", function()
		local p = new({ api_signing_secret = SECRET }, true)
		local start = p:now()
		created(p, "x")
		p:advance(5) -- still connecting
		p:socket_connect(1)
		local req = p:socket_requests(1)[1]
		assert.are.equal(tostring(start + 5), req.headers["webhook-timestamp"])
	end)

	it("puts at most api_pipeline_depth requests on one connection; the rest wait unsigned #prosody_c", function()
		local p = new({ api_signing_secret = SECRET, api_max_connections = 1, api_pipeline_depth = 2 }, true)
		local start = p:now()
		for i = 1, 5 do created(p, "r" .. i) end
		p:socket_connect(1)
		assert.are.equal(2, #p:socket_requests(1))
		p:advance(7)
		p:socket_respond(1, 200)
		local reqs = p:socket_requests(1)
		assert.are.equal(3, #reqs)
		assert.are.equal(tostring(start), reqs[2].headers["webhook-timestamp"])
		assert.are.equal(tostring(start + 7), reqs[3].headers["webhook-timestamp"])
		p:socket_respond(1, 200)
		p:socket_respond(1, 200)
		p:socket_respond(1, 200)
		p:socket_respond(1, 200)
		assert.are.equal(5, count(p, "delivered_room_created"))
	end)
end)
