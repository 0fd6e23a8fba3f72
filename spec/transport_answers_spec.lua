-- Odd and hostile answers from the API, on the keep-alive transport (fake sockets) and on
-- net.http (the fake's request `parser`, as net.http feeds it): each ends as its status when
-- the status line arrived, as a failed attempt (code 0, retried) when it did not, and never
-- shifts an answer onto another request.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC

local function count(p, metric) return p.metrics[metric].count end

local function new(keepalive)
	return E.new({ options = E.options({
		api_keepalive = keepalive, api_prefix = "http://api.example.com/prosody", api_timeout = 5, retry_count = 1,
	}) })
end

local HUGE_HEAD = "HTTP/1.1 200 OK\r\nX-Pad: " .. ("p"):rep(20 * 1024) .. "\r\n\r\n"

-- { name, bytes (a list of pieces), then: "close" | "timeout" | nil, expected outcome of created }
local CASES = {
	{ "a status line without reason phrase", { "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n" }, nil, "delivered" },
	{ "HTTP/1.0 with a body until close", { "HTTP/1.0 200 OK\r\n\r\n{\"ok\":true}" }, "close", "delivered" },
	{ "a chunked body with extensions and trailers",
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nX-T: 1\r\n\r\n" }, nil, "delivered" },
	{ "a small chunked body in one piece", { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" }, nil, "delivered" },
	{ "a small chunked body in pieces",
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r", "\n{}\r\n0\r\n", "\r\n" }, nil, "delivered" },
	{ "a chunked 503 whose last chunk has trailers",
		{ "HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-T: 1\r\n\r\n" }, nil, "retried" },
	{ "conflicting Content-Length after a 2xx status",
		{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n" }, nil, "delivered" },
	{ "an absurd chunk size after a 2xx status",
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n" }, nil, "delivered" },
	{ "a 2xx whose body trickles past api_timeout", { "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc" }, "timeout", "delivered" },
	{ "a 2xx cut off mid-body", { "HTTP/1.1 201 Created\r\nContent-Length: 100\r\n\r\nabc" }, "close", "delivered" },
	{ "a 503 whose body is over the bound",
		{ "HTTP/1.1 503 Busy\r\nContent-Length: 9999999\r\n\r\n", ("x"):rep(1024 * 1024 + 1) }, nil, "retried" },
	{ "header names in any case, blanks around values, a repeated header",
		{ "HTTP/1.1 503 Busy\r\ncOnTeNt-LeNgTh:   0  \r\nX-A: 1\r\nX-A: 2\r\nRETRY-AFTER: 7\r\n\r\n" }, nil, "retried" },
	{ "a bare LF ending the status line", { "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n" }, nil, "delivered" },
	{ "a header line without a colon", { "HTTP/1.1 200 OK\r\nBogus\r\nContent-Length: 0\r\n\r\n" }, nil, "retried" },
	{ "a bare LF between header lines", { "HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 0\r\n\r\n" }, nil, "retried" },
	{ "a CR inside a header value", { "HTTP/1.1 200 OK\r\nX-A: 1\r2\r\nContent-Length: 0\r\n\r\n" }, nil, "retried" },
	{ "a header line of 4000 blanks ending in a bare LF",
		{ "HTTP/1.1 200 OK\r\nX-A:" .. (" "):rep(4000) .. "\nContent-Length: 0\r\n\r\n" }, nil, "retried" },
	{ "blanks around the values the module reads",
		{ "HTTP/1.1 503 Busy\r\nRetry-After: \t 3 \t\r\nContent-Length:\t0  \r\n\r\n" }, nil, "retried" },
	{ "a Transfer-Encoding of many codings, chunked last",
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: " .. ("gzip, "):rep(500) .. " CHUNKED ,\r\n\r\n0\r\n\r\n" }, nil, "delivered" },
	{ "lower-case http in the status line", { "http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" }, nil, "retried" },
	{ "a folded header line", { "HTTP/1.1 200 OK\r\nX-A: 1\r\n continued\r\nContent-Length: 0\r\n\r\n" }, nil, "retried" },
	{ "101 Switching Protocols", { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n" }, nil, "retried" },
	{ "interim answers, then the connection closes", { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n" }, "close", "retried" },
	{ "endless interim answers until api_timeout", { ("HTTP/1.1 102 Processing\r\n\r\n"):rep(50) }, "timeout", "retried" },
	{ "a head over 16 KB", { HUGE_HEAD }, nil, "retried" },
	{ "a 3xx with a body", { "HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 3\r\n\r\nabc" }, nil, "gave_up" },
}

for _, keepalive in ipairs({ true, false }) do
	describe(("hostile answers (%s)"):format(keepalive and "keep-alive" or "net.http"), function()
		for _, case in ipairs(CASES) do
			local name, pieces, after, expected = case[1], case[2], case[3], case[4]
			do
				it(("%s: %s"):format(name, expected), function()
					local p = new(keepalive)
					p:fire(MUC, "muc-room-created", { room = E.room("hostile") })
					local feed, close
					if keepalive then
						p:socket_connect(1)
						feed = function(data) if not p:socket(1).closed then p:socket_send(1, data) end end
						close = function() if not p:socket(1).closed then p:socket_close(1) end end
					else
						feed = function(data) p:request(1).parser:feed(data) end
						close = function() p:request(1).parser:feed(nil) end
					end
					for _, piece in ipairs(pieces) do feed(piece) end
					if after == "close" then close() elseif after == "timeout" then p:advance(5) end
					local counts = {
						delivered = count(p, "delivered_room_created"),
						retried = count(p, "retried_room_created"),
						gave_up = count(p, "gave_up_room_created"),
					}
					local want = { delivered = 0, retried = 0, gave_up = 0 }
					want[expected] = 1
					assert.are.same(want, counts)
				end)
			end
		end
	end)
end

describe("an answer with no request outstanding (keep-alive)", function()
	it("closes the connection, so later answers cannot land on the wrong request", function()
		local p = new(true)
		p:fire(MUC, "muc-room-created", { room = E.room("a") })
		p:socket_connect(1)
		p:socket_send(1, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
		assert.are.equal(1, count(p, "delivered_room_created"))
		assert.is_true(p:socket(1).closed)
		p:fire(MUC, "muc-room-created", { room = E.room("b") })
		assert.are.equal(2, #p.sockets)
	end)
end)

describe("reading an answer's head", function()
	-- Lua patterns backtrack: `[ \t]*(.-)[ \t]*\r` over a line of blanks without its CR took
	-- cubic time (4000 blanks: about a minute of Prosody's only thread, 16 KB: an hour). Every
	-- pattern on an answer's bytes must now take time in proportion to them.
	local reader_of = E.bundle_require()("src.delivery.http_response").createResponseReader

	it("takes no longer on hostile blanks than on an ordinary head of the same size", function()
		local outcome
		local reader = reader_of({ complete = function() outcome = "complete" end, fail = function(reason) outcome = reason end })
		local blanks = (" "):rep(15000)
		local started = os.clock()
		reader.feed("HTTP/1.1 200 OK\r\nX-A:" .. blanks .. "\nContent-Length: 0\r\n\r\n")
		local seconds = os.clock() - started
		assert.are.equal("invalid-header-line", outcome)
		assert.is_true(seconds < 1, ("%.2f s for one answer"):format(seconds)) -- before: hours
		reader = reader_of({ complete = function() end, fail = function() end })
		started = os.clock()
		reader.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: " .. ("a"):rep(15000) .. " b\r\n\r\n")
		assert.is_true(os.clock() - started < 1)
	end)
end)
