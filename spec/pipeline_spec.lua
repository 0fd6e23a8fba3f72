-- api_pipeline_depth: a room's events pipelined on one kept-alive connection while the API
-- accepts them, narrowing to one at a time on any failure. Fake sockets (prosody_env socket_*),
-- Prosody's real net.http.parser; math.random() is 0.5, so retries come exactly
-- api_retry_delay * 2^(n-1) s after a failure.
local E = require "spec.helpers.prosody_env"

local function new(extra, opts)
	local options = E.options({ api_keepalive = true, api_prefix = "http://api.example.com/hooks" })
	for k, v in pairs(extra or {}) do options[k] = v end
	opts = opts or {}
	opts.options = options
	return E.new(opts)
end

--- A room whose `created` is on the wire (connected, unanswered) with `n` joins queued behind it.
local function room_with_backlog(p, n, name)
	local room = E.room(name or "pipe")
	local people = {}
	for i = 1, n do
		local occupant = E.occupant(room, "n" .. i, "user" .. i .. "@example.com/r")
		people[i] = occupant
		p:join(room, occupant, E.session(occupant.jid), i == 1)
	end
	return room, people
end

--- The requests written to socket i, as "event:nick" (nick for occupant events).
local function sent(p, i)
	local out = {}
	for _, req in ipairs(p:socket_requests(i)) do
		local body = E.json.decode(req.body)
		local nick = body.occupant and ("n" .. body.occupant.occupant_jid:match("^user(%d+)@"))
		out[#out + 1] = body.event_name:gsub("^muc%-", "") .. (nick and (":" .. nick) or "")
	end
	return out
end

local function count(p, metric) return p.metrics[metric].count end

describe("api_pipeline_depth", function()
	it("starts a burst with one request, then pipelines the room's backlog after the first 2xx", function()
		local p = new()
		room_with_backlog(p, 4)
		p:socket_connect(1)
		assert.are.same({ "room-created" }, sent(p, 1))
		p:socket_respond(1, 200)
		assert.are.same({ "room-created", "occupant-joined:n1", "occupant-joined:n2", "occupant-joined:n3",
			"occupant-joined:n4" }, sent(p, 1))
		assert.are.equal(1, #p.sockets)
		-- answers come in order and are matched in order
		for _ = 1, 4 do p:socket_respond(1, 200) end
		assert.are.equal(4, count(p, "delivered_occupant_joined"))
		assert.are.equal(0, count(p, "retried_occupant_joined"))
	end)

	it("keeps at most api_pipeline_depth of a room's events on the wire", function()
		local p = new({ api_pipeline_depth = 3 })
		room_with_backlog(p, 6)
		p:socket_connect(1)
		p:socket_respond(1, 200)
		assert.are.same({ "room-created", "occupant-joined:n1", "occupant-joined:n2", "occupant-joined:n3" }, sent(p, 1))
		p:socket_respond(1, 200)
		assert.are.equal(5, #sent(p, 1))
		assert.are.equal("occupant-joined:n4", sent(p, 1)[5])
	end)

	it("sends strictly one at a time with api_pipeline_depth = 1", function()
		local p = new({ api_pipeline_depth = 1 })
		room_with_backlog(p, 3)
		p:socket_connect(1)
		for n = 1, 4 do
			assert.are.equal(n, #sent(p, 1))
			p:socket_respond(1, 200)
		end
		assert.are.equal(3, count(p, "delivered_occupant_joined"))
	end)

	it("stays wide between bursts while the API accepts; a room created again starts with one", function()
		local p = new()
		local room, people = room_with_backlog(p, 1)
		p:socket_connect(1)
		p:socket_respond(1, 200)
		p:socket_respond(1, 200) -- joined n1: the queue is empty
		for i = 2, 3 do
			local occupant = E.occupant(room, "n" .. i, "user" .. i .. "@example.com/r")
			people[i] = occupant
			p:join(room, occupant, E.session(occupant.jid))
		end
		assert.are.same({ "room-created", "occupant-joined:n1", "occupant-joined:n2", "occupant-joined:n3" }, sent(p, 1))
		p:socket_respond(1, 200)
		p:socket_respond(1, 200)
		p:destroy(room, people) -- three left + destroyed, pipelined
		assert.are.equal(8, #sent(p, 1))
		for _ = 1, 4 do p:socket_respond(1, 200) end
		local again = E.room("pipe")
		local newcomer = E.occupant(again, "n4", "user4@example.com/r")
		p:join(again, newcomer, E.session(newcomer.jid), true)
		assert.are.same({ "room-created" }, { sent(p, 1)[9] })
		assert.are.equal(9, #sent(p, 1)) -- its joined waits for the created's answer
		p:socket_respond(1, 200)
		assert.are.equal("occupant-joined:n4", sent(p, 1)[10])
	end)

	it("reads the created's answer as soon as the room's next event waits for it, not at the loop's next turn", function()
		local p = new()
		local room = E.room("ahead")
		local first = E.occupant(room, "n1", "user1@example.com/r")
		p:join(room, first, E.session(first.jid), true)
		p:socket_connect(1)
		assert.are.same({ "room-created" }, sent(p, 1)) -- alone, its joined waits
		p:socket_arrive(1, E.http_response(200)) -- answered; net.server has not read it yet
		local second = E.occupant(room, "n2", "user2@example.com/r")
		p:join(room, second, E.session(second.jid))
		assert.are.same({ "room-created", "occupant-joined:n1", "occupant-joined:n2" }, sent(p, 1))
		p:socket_read(1) -- the loop's own read finds nothing more
		p:socket_respond(1, 200)
		p:socket_respond(1, 200)
		assert.are.equal(2, count(p, "delivered_occupant_joined"))
	end)

	it("matches small chunked answers arriving together to the requests in order", function()
		local p = new()
		room_with_backlog(p, 3)
		p:socket_connect(1)
		local chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
		p:socket_send(1, chunked)
		assert.are.equal(4, #sent(p, 1)) -- created answered: the three joins pipelined
		p:socket_send(1, chunked .. chunked .. chunked:gsub("200 OK", "503 Busy"))
		assert.are.equal(3, count(p, "delivered_occupant_joined") + count(p, "delivered_room_created"))
		assert.are.equal(1, count(p, "retried_occupant_joined"))
	end)

	it("waits for the loop when the created's answer has not arrived, or on a backend other than epoll", function()
		for _, backend in ipairs({ "epoll", "select" }) do
			local p = new(nil, { net_backend = backend })
			local room = E.room("ahead")
			local first = E.occupant(room, "n1", "user1@example.com/r")
			p:join(room, first, E.session(first.jid), true)
			p:socket_connect(1)
			local second = E.occupant(room, "n2", "user2@example.com/r")
			p:join(room, second, E.session(second.jid))
			assert.are.same({ "room-created" }, sent(p, 1)) -- nothing had arrived: n1 and n2 wait
			p:socket_arrive(1, E.http_response(200))
			local third = E.occupant(room, "n3", "user3@example.com/r")
			p:join(room, third, E.session(third.jid))
			assert.are.equal(backend == "epoll" and 4 or 1, #sent(p, 1))
			p:socket_read(1)
			assert.are.equal(4, #sent(p, 1))
		end
	end)

	it("does not widen a room created again on answers to its previous life's requests", function()
		local p = new()
		local room, people = room_with_backlog(p, 1)
		p:socket_connect(1)
		p:socket_respond(1, 200)
		p:socket_respond(1, 200)
		p:destroy(room, people) -- left + destroyed pipelined, not yet answered
		local again = E.room("pipe")
		for i = 2, 3 do
			local occupant = E.occupant(again, "n" .. i, "user" .. i .. "@example.com/r")
			p:join(again, occupant, E.session(occupant.jid), i == 2)
		end
		p:socket_respond(1, 200) -- left
		p:socket_respond(1, 200) -- destroyed
		local all = sent(p, 1)
		assert.are.equal(5, #all) -- the new created alone; its joins wait for its answer
		assert.are.equal("room-created", all[5])
		p:socket_respond(1, 200)
		assert.are.equal(7, #sent(p, 1))
	end)

	it("starts a room created again with one on the wire also when destroyed events are not sent", function()
		local p = new({ api_events = { "muc-room-created", "muc-occupant-joined" } })
		local room, people = room_with_backlog(p, 1)
		p:socket_connect(1)
		p:socket_respond(1, 200)
		p:socket_respond(1, 200)
		p:destroy(room, people)
		local again = E.room("pipe")
		local newcomer = E.occupant(again, "n2", "user2@example.com/r")
		p:join(again, newcomer, E.session(newcomer.jid), true)
		local other = E.occupant(again, "n3", "user3@example.com/r")
		p:join(again, other, E.session(other.jid))
		assert.are.same({ "room-created", "occupant-joined:n1", "room-created" }, sent(p, 1))
	end)

	describe("after a failure", function()
		it("retries the failed event alone, before the room's later events not yet answered", function()
			local p = new({ api_retry_delay = 1 })
			room_with_backlog(p, 3)
			p:socket_connect(1)
			p:socket_respond(1, 200)
			assert.are.equal(4, #sent(p, 1)) -- created + n1, n2, n3 pipelined
			p:socket_respond(1, 503) -- n1 fails
			p:socket_respond(1, 200) -- n2 was already on the wire behind it: accepted
			p:socket_respond(1, 503) -- n3 fails too: it waits behind n1, without a timer of its own
			assert.are.equal(1, count(p, "retried_occupant_joined"))
			assert.are.equal(1, count(p, "delivered_occupant_joined"))
			p:advance(0.99)
			assert.are.equal(4, #sent(p, 1))
			p:advance(0.01)
			assert.are.equal("occupant-joined:n1", sent(p, 1)[5])
			assert.are.equal(5, #sent(p, 1)) -- n1 alone
			p:socket_respond(1, 200)
			assert.are.same("occupant-joined:n3", sent(p, 1)[6])
			p:socket_respond(1, 200)
			assert.are.equal(3, count(p, "delivered_occupant_joined"))
			assert.are.equal(0, count(p, "gave_up_occupant_joined"))
		end)

		it("stays at one at a time until an attempt sent after the failure succeeds", function()
			local p = new({ api_retry_delay = 1, api_pipeline_depth = 3 })
			room_with_backlog(p, 4)
			p:socket_connect(1)
			p:socket_respond(1, 200)
			assert.are.equal(4, #sent(p, 1)) -- n1, n2, n3 on the wire; n4 waits
			p:socket_respond(1, 503) -- n1
			p:socket_respond(1, 200) -- n2 and n3 were sent before that failure: they do not widen
			p:socket_respond(1, 200)
			p:advance(1)
			local all = sent(p, 1)
			assert.are.equal(5, #all) -- n1 alone, n4 still waits
			assert.are.equal("occupant-joined:n1", all[5])
			p:socket_respond(1, 200)
			assert.are.same("occupant-joined:n4", sent(p, 1)[6])
		end)

		it("fails a closing error answer's followers behind its retry instead of sending them again at once", function()
			local p = new({ api_retry_delay = 1 })
			room_with_backlog(p, 2)
			p:socket_connect(1)
			p:socket_respond(1, 200)
			p:socket_respond(1, 503, { headers = { "Connection: close" } }) -- n1; n2 was behind it
			assert.is_true(p:socket(1).closed)
			assert.are.equal(1, #p.sockets) -- n2 is not sent again before n1's retry
			p:advance(1)
			p:socket_connect(2)
			assert.are.same({ "occupant-joined:n1" }, sent(p, 2))
			p:socket_respond(2, 200)
			assert.are.same({ "occupant-joined:n1", "occupant-joined:n2" }, sent(p, 2))
			p:socket_respond(2, 200)
			assert.are.equal(2, count(p, "delivered_occupant_joined"))
			assert.are.equal(1, count(p, "retried_occupant_joined"))
		end)

		it("does not count a timeout against another room's request pipelined behind it", function()
			local p = new({ api_max_connections = 1, api_timeout = 5, retry_count = 0 })
			p:fire(E.MUC, "muc-room-created", { room = E.room("slow") })
			p:fire(E.MUC, "muc-room-created", { room = E.room("fine") })
			p:socket_connect(1)
			assert.are.equal(2, #sent(p, 1))
			p:advance(5) -- the first never answered: given up (retry_count = 0)
			assert.are.equal(1, count(p, "gave_up_room_created"))
			assert.are.equal(2, #p.sockets) -- the other room's request goes again at once
			p:socket_connect(2)
			local again = p:socket_requests(2)
			assert.are.equal(1, #again)
			assert.are.equal("fine", E.json.decode(again[1].body).room_name)
			p:socket_respond(2, 200)
			assert.are.equal(1, count(p, "delivered_room_created"))
		end)

		it("does not count the attempts of events cut short behind a failed one", function()
			local p = new({ api_retry_delay = 1, retry_count = 1 })
			room_with_backlog(p, 2)
			p:socket_connect(1)
			p:socket_respond(1, 200)
			p:socket_respond(1, 503) -- n1
			p:socket_respond(1, 503) -- n2, behind it
			p:advance(1)
			p:socket_respond(1, 200) -- n1's retry
			p:socket_respond(1, 503) -- n2's first counted failure: one retry left
			p:advance(1)
			p:socket_respond(1, 200)
			assert.are.equal(2, count(p, "delivered_occupant_joined"))
			assert.are.equal(0, count(p, "gave_up_occupant_joined"))
		end)

		it("a timeout closes the connection and fails what was behind it; all of it goes again in order", function()
			local p = new({ api_timeout = 5, api_retry_delay = 1 })
			room_with_backlog(p, 3)
			p:socket_connect(1)
			p:socket_respond(1, 200)
			p:advance(5) -- n1 unanswered (n2, n3 behind it on the same connection)
			assert.is_true(p:socket(1).closed)
			assert.are.equal(1, count(p, "retried_occupant_joined"))
			p:advance(1)
			assert.are.equal(2, #p.sockets)
			p:socket_connect(2)
			assert.are.same({ "occupant-joined:n1" }, sent(p, 2))
			p:socket_respond(2, 200)
			assert.are.same({ "occupant-joined:n1", "occupant-joined:n2", "occupant-joined:n3" }, sent(p, 2))
			p:socket_respond(2, 200)
			p:socket_respond(2, 200)
			assert.are.equal(3, count(p, "delivered_occupant_joined"))
			assert.are.equal(1, count(p, "retried_occupant_joined"))
		end)

		it("times a pipelined request from the answer before it, not from when it was written", function()
			local p = new({ api_timeout = 5 })
			room_with_backlog(p, 2)
			p:socket_connect(1)
			p:socket_respond(1, 200)
			p:advance(4)
			p:socket_respond(1, 200) -- n1 after 4 s; n2 has waited 4 s behind it
			p:advance(4)
			assert.is_falsy(p:socket(1).closed)
			p:socket_respond(1, 200)
			assert.are.equal(2, count(p, "delivered_occupant_joined"))
			assert.are.equal(0, count(p, "retried_occupant_joined"))
		end)
	end)

	it("sends the requests behind a Connection: close answer again, in order, on a fresh connection", function()
		local p = new()
		room_with_backlog(p, 3)
		p:socket_connect(1)
		p:socket_respond(1, 200)
		p:socket_respond(1, 200, { headers = { "Connection: close" } }) -- n1; n2 and n3 are not answered
		assert.is_true(p:socket(1).closed)
		assert.are.equal(2, #p.sockets)
		p:socket_connect(2)
		assert.are.same({ "occupant-joined:n2", "occupant-joined:n3" }, sent(p, 2))
		p:socket_respond(2, 200)
		p:socket_respond(2, 200)
		assert.are.equal(3, count(p, "delivered_occupant_joined"))
		assert.are.equal(0, count(p, "retried_occupant_joined"))
	end)

	it("keeps each room's pipelined requests on its own connection while other rooms use others", function()
		local p = new({ api_max_connections = 2 })
		room_with_backlog(p, 2, "one")
		room_with_backlog(p, 2, "two")
		assert.are.equal(2, #p.sockets)
		p:socket_connect(1)
		p:socket_connect(2)
		p:socket_respond(1, 200)
		p:socket_respond(2, 200)
		for i = 1, 2 do
			local rooms = {}
			for _, req in ipairs(p:socket_requests(i)) do rooms[E.json.decode(req.body).room_name] = true end
			local names = {}
			for name in pairs(rooms) do names[#names + 1] = name end
			assert.are.equal(1, #names)
			assert.are.equal(3, #sent(p, i))
		end
	end)

	it("pipelines another room's request behind a busy connection when all connections are busy", function()
		local p = new({ api_max_connections = 1 })
		p:fire(E.MUC, "muc-room-created", { room = E.room("first") })
		p:fire(E.MUC, "muc-room-created", { room = E.room("second") })
		assert.are.equal(1, #p.sockets)
		p:socket_connect(1)
		assert.are.same({ "room-created", "room-created" }, sent(p, 1)) -- both written, unanswered
		p:socket_respond(1, 200)
		p:socket_respond(1, 200)
		assert.are.equal(2, count(p, "delivered_room_created"))
	end)

	it("sends on the socket at once, and through net.server's buffer behind what the socket did not take", function()
		local p = new()
		room_with_backlog(p, 3)
		p:socket_connect(1)
		local s = p:socket(1)
		assert.are.same({ 1, 0 }, { s.raw_sends, s.buffered_writes }) -- created, straight to the socket
		s.send_limit = 20 -- the socket buffer is nearly full
		p:socket_respond(1, 200) -- n1, n2, n3 go out
		assert.are.same({ 2, 3 }, { s.raw_sends, s.buffered_writes }) -- n1 in part; its rest, n2, n3 buffered
		assert.are.same({ "room-created", "occupant-joined:n1", "occupant-joined:n2", "occupant-joined:n3" }, sent(p, 1))
		s.send_limit = nil
		p:socket_drain(1)
		p:socket_respond(1, 200)
		local room = E.room("pipe")
		local late = E.occupant(room, "n4", "user4@example.com/r")
		p:join(room, late, E.session(late.jid))
		assert.are.same({ 3, 3 }, { s.raw_sends, s.buffered_writes }) -- drained: straight to the socket again
		assert.are.equal("occupant-joined:n4", sent(p, 1)[5])
	end)

	it("hands the events on the wire over on reload, in order, and the new instance sends them", function()
		local p = new()
		room_with_backlog(p, 2)
		p:socket_connect(1)
		p:socket_respond(1, 200)
		assert.are.equal(3, #sent(p, 1))
		local fresh = p:reload()
		assert.is_true(p:socket(1).closed)
		fresh:socket_connect(1)
		assert.are.same({ "occupant-joined:n1" }, sent(fresh, 1))
		fresh:socket_respond(1, 200)
		assert.are.same({ "occupant-joined:n1", "occupant-joined:n2" }, sent(fresh, 1))
	end)

	describe("option", function()
		it("must be a whole number >= 1", function()
			for _, bad in ipairs({ 0, 2.5, "many", true }) do
				local p = new({ api_pipeline_depth = bad })
				local line = p:logs_at("error")[1]
				assert.truthy(line and line:find("api_pipeline_depth", 1, true), tostring(bad))
			end
		end)

		it("needs api_keepalive: without it a warning, and one at a time over net.http", function()
			local p = new({ api_keepalive = false, api_pipeline_depth = 8 })
			local warning = p:logs_at("warn")[1]
			assert.truthy(warning and warning:find("api_pipeline_depth", 1, true))
			room_with_backlog(p, 2)
			assert.are.equal(1, #p.requests)
			p:respond(1, 200)
			assert.are.equal(2, #p.requests)
		end)
	end)
end)
