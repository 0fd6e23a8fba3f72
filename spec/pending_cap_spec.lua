-- api_max_pending: undelivered events are capped; past the cap the OLDEST is dropped (its
-- request in flight destroyed, its room moves on), with one warning per burst and a
-- dropped_<event> counter. Driven through Prosody's net.http transport (the fake in
-- spec/helpers/prosody_env.lua); the memory checks also run the built Dispatcher directly.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC
local CAP = 5
local SUFFIXES = { "room_created", "occupant_joined", "occupant_left", "room_destroyed" }

local function new(extra)
	local options = E.options({ api_max_pending = CAP, api_timeout = 1000 })
	for k, v in pairs(extra or {}) do options[k] = v end
	return E.new({ options = options })
end

--- A room whose events the spec makes one by one: created + joined first, then joined/left of
-- other occupants (alice stays, so the room lives on).
local function busy_room(p, name)
	local room = E.room(name)
	local alice = E.occupant(room, "a", "alice@example.com/" .. name)
	local n = 0
	local state = { room = room }
	p:join(room, alice, E.session(alice.jid), true)
	--- Makes `count` more events in the room (alternately a join and a leave).
	function state.more(count)
		for _ = 1, count do
			n = n + 1
			local i = math.floor((n + 1) / 2)
			local u = E.occupant(room, "u" .. i, "u" .. i .. "@example.com/" .. name)
			if n % 2 == 1 then p:join(room, u, E.session(u.jid), false) else p:leave(room, u, false) end
		end
	end
	return state
end

local function warns(p, pattern)
	local out = {}
	for _, m in ipairs(p:logs_at("warn")) do
		if m:find(pattern) then out[#out + 1] = m end
	end
	return out
end

local function dropped_total(p)
	local n = 0
	for _, s in ipairs(SUFFIXES) do n = n + p.metrics["dropped_" .. s].count end
	return n
end

local function max_of(list)
	local m = -math.huge
	for _, v in ipairs(list) do if v > m then m = v end end
	return m
end

local function seq(p, i) return p:body(i).room_sequence end

--- The open (unanswered, not destroyed) requests.
local function open(p) return p:open_requests() end

describe("api_max_pending", function()
	it("drops the oldest undelivered event when one more arrives: its request destroyed, the room moves on", function()
		local p = new()
		local r = busy_room(p, "cap") -- 2 events
		r.more(3) -- 5 pending: the cap
		assert.are.equal(1, #p.requests)
		assert.are.same({}, p.destroyed)
		assert.are.same({}, warns(p, "api_max_pending"))
		assert.are.equal(5, p.metrics.pending.value)
		r.more(1) -- the 6th
		assert.are.equal(1, #p.destroyed)
		assert.are.equal(p:request(1), p.destroyed[1])
		assert.are.equal(2, #p.requests)
		assert.are.equal("muc-occupant-joined", p:body(2).event_name)
		assert.are.equal(2, seq(p, 2))
		assert.are.equal(1, p.metrics.dropped_room_created.count)
		assert.are.equal(1, dropped_total(p))
		assert.are.equal(5, p.metrics.pending.value)
		local w = warns(p, "api_max_pending")
		assert.are.equal(1, #w)
		assert.matches("More than 5 events", w[1])
		assert.matches("muc%-room%-created for room cap@" .. MUC:gsub("%p", "%%%0"), w[1])
		-- the destroyed request's late answer is ignored (net.http would not call back)
		assert.are.equal(1, #open(p))
	end)

	it("warns once per burst, counts every drop, and never has more than the cap pending", function()
		local p = new()
		local r = busy_room(p, "burst")
		r.more(48) -- 50 events: 45 dropped
		assert.are.equal(45, dropped_total(p))
		assert.are.equal(1, #warns(p, "api_max_pending"))
		assert.are.equal(CAP, max_of(p.metrics.pending.history))
		assert.are.equal(45, #p.destroyed)
		assert.are.equal(1, #open(p))
		-- by type: created, joined(alice) and 21/22 of the u* joins/leaves
		assert.are.equal(1, p.metrics.dropped_room_created.count)
		assert.are.equal(1 + 22, p.metrics.dropped_occupant_joined.count)
		assert.are.equal(21, p.metrics.dropped_occupant_left.count)
		assert.are.equal(50, p.metrics.produced_occupant_joined.count + p.metrics.produced_occupant_left.count
			+ p.metrics.produced_room_created.count)

		-- the receiver is back: one warning with the count, then the rest in room order
		p:respond(open(p)[1].index, 200)
		local back = warns(p, "accepts events again")
		assert.are.equal(1, #back)
		assert.matches("45 events were dropped", back[1])
		assert.matches("api_max_pending", back[1])
		p:deliver_all(200)
		local delivered = {}
		for i, req in ipairs(p.requests) do
			if not req.destroyed then delivered[#delivered + 1] = seq(p, i) end
		end
		assert.are.same({ 46, 47, 48, 49, 50 }, delivered)
		assert.are.equal(0, p.metrics.pending.value)
		assert.are.equal(1, #warns(p, "accepts events again")) -- not repeated on later successes

		-- a new outage is a new burst: warned again
		r.more(6)
		local bursts = warns(p, "More than 5 events")
		assert.are.equal(2, #bursts)
		assert.are.equal(46, dropped_total(p))
		p:respond(open(p)[1].index, 200)
		back = warns(p, "accepts events again")
		assert.are.equal(2, #back)
		assert.matches("; 1 events were dropped", back[2])
	end)

	it("drops the oldest event across rooms; other rooms keep their order", function()
		local p = new()
		busy_room(p, "ra") -- a1 a2
		busy_room(p, "rb") -- b1 b2
		local c = busy_room(p, "rc") -- c1 (c2 pushes a1 out)
		assert.are.equal(1, #p.destroyed)
		assert.are.equal("ra@" .. MUC, p:body(p.destroyed[1].index).room_jid)
		assert.are.equal(1, p:body(p.destroyed[1].index).room_sequence)
		c.more(1) -- pushes a2 out (older than b1), in flight since a1 was dropped
		assert.are.equal(2, #p.destroyed)
		assert.are.equal("ra@" .. MUC, p:body(p.destroyed[2].index).room_jid)
		assert.are.equal(2, p:body(p.destroyed[2].index).room_sequence)
		assert.are.equal(2, #open(p)) -- rb and rc in flight, ra has nothing left
		c.more(1) -- pushes b1 out
		assert.are.equal(3, #p.destroyed)
		assert.are.equal("rb@" .. MUC, p:body(p.destroyed[3].index).room_jid)
		assert.are.equal(1, p:body(p.destroyed[3].index).room_sequence)
		p:deliver_all(200)
		local by_room = {}
		for i, req in ipairs(p.requests) do
			if not req.destroyed then
				local b = p:body(i)
				by_room[b.room_jid] = by_room[b.room_jid] or {}
				table.insert(by_room[b.room_jid], b.room_sequence)
			end
		end
		assert.is_nil(by_room["ra@" .. MUC])
		assert.are.same({ 2 }, by_room["rb@" .. MUC])
		assert.are.same({ 1, 2, 3, 4 }, by_room["rc@" .. MUC])
		assert.are.equal(1, #warns(p, "More than"))
		assert.matches("3 events were dropped", warns(p, "accepts events again")[1])
	end)

	it("drops an event waiting for its retry: the retry never goes out", function()
		local p = new({ api_retry_delay = 5 })
		local r = busy_room(p, "retry")
		p:respond(1, 503) -- created waits 5 s for its retry
		local created_id = p:body(1).event_id
		r.more(4) -- the 6th pushes created out
		assert.are.equal(1, p.metrics.dropped_room_created.count)
		assert.are.equal(2, #p.requests) -- the room moved on at once
		assert.are.equal("muc-occupant-joined", p:body(2).event_name)
		p:advance(60)
		for i in ipairs(p.requests) do
			if i > 1 then assert.are_not.equal(created_id, p:body(i).event_id) end
		end
		assert.are.equal(1, #warns(p, "api_max_pending"))
	end)

	it("keeps a dropped event's timeout from cancelling the room's next request", function()
		local p = new({ api_timeout = 10 })
		local r = busy_room(p, "timer")
		r.more(3)
		p:advance(5)
		r.more(1) -- drops created (request 1, sent at 0 s); joined goes out at 5 s
		assert.are.equal(2, #p.requests)
		p:advance(5) -- created's timeout (10 s) must not touch request 2
		assert.is_false(p:request(2).destroyed)
		p:respond(2, 200)
		assert.are.equal(1, p.metrics.delivered_occupant_joined.count)
	end)

	it("keeps the pending gauge at the cap and the saved pending list bounded over 10,000 events", function()
		local p = new({ api_timeout = 2, api_retry_delay = 0.5 })
		-- a receiver that never answers, without the fake keeping every request
		local live = 0
		p.http.request = function()
			live = live + 1
			return {}
		end
		p.http.destroy_request = function() live = live - 1 end
		local r = busy_room(p, "mem")
		for _ = 1, 1000 do
			r.more(10)
			p:advance(0.1)
		end
		assert.are.equal(CAP, max_of(p.metrics.pending.history))
		assert.are.equal(CAP, #p.module.save().pending)
		assert.are.equal(10002 - CAP, dropped_total(p))
		assert.are.equal(1, #warns(p, "api_max_pending"))
		assert.is_true(live <= 1, "requests still open: " .. live)
	end)

	describe("memory of the dispatcher (built src.delivery.room_queues)", function()
		--- The bundle's Dispatcher with a manual clock and a transport that never answers.
		local function harness(cap, mode)
			local Dispatcher = E.bundle_require()("src.delivery.room_queues").Dispatcher
			local clock = { now = 0, timers = {} }
			local scheduler = {}
			function scheduler.after(_, seconds, callback)
				local t = { due = clock.now + seconds, callback = callback }
				function t.stop() t.stopped = true end
				clock.timers[t] = true
				return t
			end
			function clock.advance(seconds)
				clock.now = clock.now + seconds
				local due = {}
				for t in pairs(clock.timers) do
					if t.stopped then clock.timers[t] = nil elseif t.due <= clock.now then due[#due + 1] = t end
				end
				table.sort(due, function(a, b) return a.due < b.due end)
				for _, t in ipairs(due) do
					clock.timers[t] = nil
					if not t.stopped then t.callback() end
				end
			end
			local stats = { open = 0 }
			local transport = {}
			function transport.post(_, request, done)
				-- "one-stuck": room0's request never ends, every other room's is delivered
				if mode == "one-stuck" and not request.url:find("joined", 1, true) then error("unexpected") end
				if mode == "one-stuck" and request.body:find('"room0@', 1, true) == nil then
					done({ code = 200 })
					return function() end
				end
				if mode == "failing" or mode == "delivering" then
					done({ code = mode == "failing" and 503 or 200 })
					return function() end
				end
				stats.open = stats.open + 1
				local cancelled = false
				return function()
					if not cancelled then stats.open = stats.open - 1 end
					cancelled = true
				end
			end
			local metrics = {}
			for _, name in ipairs({ "produced", "delivered", "retried", "gaveUp", "dropped", "pending" }) do
				metrics[name] = function() end
			end
			local d = setmetatable({}, Dispatcher.prototype)
			d:____constructor({
				transport = transport,
				apiPrefix = "http://api.example.com",
				scheduler = scheduler,
				policy = { retryCount = 1000000 },
				backoff = { mode = "fixed", initialDelay = 0.5, maxDelay = 0.5 },
				timeout = 2,
				maxPending = cap,
				maxPendingBytes = 1e12,
				pipelineDepth = 8,
				headersFor = function() return {} end,
				random = function() return 0.5 end,
				nowMs = function() return 0 end,
				metrics = metrics,
				log = function() end,
			})
			return d, clock, stats
		end

		local function entries(t)
			local n = 0
			for _ in pairs(t) do n = n + 1 end
			return n
		end

		local function delivery(i, rooms)
			local room = "room" .. (i % rooms) .. "@" .. MUC
			return {
				eventName = "muc-occupant-joined", eventId = "id-" .. i, createdAtMs = 0,
				roomJid = room, path = "/events/occupant/joined",
				body = '"' .. room .. '"' .. string.rep("x", 500) .. i, attempts = 0,
			}
		end

		it("lets go of delivered events while one room is stuck (no pinning behind the oldest)", function()
			local d, clock = harness(100000, "one-stuck")
			collectgarbage("collect")
			collectgarbage("collect")
			local before = collectgarbage("count")
			for i = 1, 10000 do
				d:enqueue(delivery(i, 50)) -- room0 gets 200 events that wait behind its first
				if i % 10 == 0 then clock.advance(0.1) end
			end
			collectgarbage("collect")
			collectgarbage("collect")
			local grown = collectgarbage("count") - before
			assert.are.equal(200, d.bounds.count)
			-- 9,800 delivered events of ~0.5 KB would be ~5 MB if the queue order kept them
			-- (200 waiting events are ~110 KB; the rest is the allocator and GC timing, which vary by Lua)
			assert.is_true(grown < 1200, ("memory grew by %.0f KB"):format(grown))
		end)

		it("remembers rooms wide between bursts, and forgets them when they are destroyed", function()
			local d = harness(100, "delivering")
			for i = 1, 50 do d:enqueue(delivery(i, 50)) end
			assert.are.equal(50, d.wideRooms.count)
			for i = 0, 49 do d:roomGone("room" .. i .. "@" .. MUC) end
			assert.are.equal(0, d.wideRooms.count)
			assert.is_nil(next(d.wideRooms.rooms))
		end)

		local cases = {
			{ "hanging", 3 }, { "failing", 3 }, { "hanging", 10000 }, { "failing", 10000 }, { "delivering", 3 },
			{ "delivering", 10000 },
		}
		for _, case in ipairs(cases) do
			local mode, rooms = case[1], case[2]
			it(("holds at most the cap in its tables after 10,000 events in %d rooms (receiver %s)"):format(rooms, mode), function()
				local d, clock, stats = harness(CAP, mode)
				collectgarbage("collect")
				collectgarbage("collect")
				local before = collectgarbage("count")
				for i = 1, 10000 do
					d:enqueue(delivery(i, rooms))
					if i % 10 == 0 then clock.advance(0.1) end
				end
				clock.advance(10) -- every old timer has fired
				collectgarbage("collect")
				collectgarbage("collect")
				local grown = collectgarbage("count") - before
				assert.is_true(entries(d.bounds.order.items) <= CAP, "order holds " .. entries(d.bounds.order.items))
				local items = 0
				for _, line in pairs(d.lines) do items = items + entries(line.items.items) end
				assert.is_true(items <= CAP, "queues hold " .. items)
				assert.is_true(entries(d.lines) <= math.min(rooms, CAP), "rooms: " .. entries(d.lines))
				assert.is_true(entries(d.flying) <= CAP, "on the wire: " .. entries(d.flying))
				assert.is_true(entries(d.wideRooms.rooms) <= 1000, "rooms remembered as wide: " .. entries(d.wideRooms.rooms))
				assert.are.equal(mode == "delivering" and 0 or CAP, d.bounds.count)
				assert.is_true(stats.open <= math.min(rooms, CAP), "requests open: " .. stats.open)
				assert.is_true(entries(clock.timers) <= 2 * CAP, "timers: " .. entries(clock.timers))
				-- 10,000 deliveries of ~0.6 KB would be ~6 MB; the cap keeps a few KB. The bound
				-- leaves room for the interpreter's own tables: LuaJIT's string table regrows
				-- after a collection shrank it, by up to ~200 KB depending on what earlier specs
				-- left behind (after jitsi_parity_spec, say).
				assert.is_true(grown < 512, ("memory grew by %.0f KB"):format(grown))
			end)
		end
	end)

	describe("option validation", function()
		for _, name in ipairs({ "api_max_pending", "api_max_connections" }) do
			for _, bad in ipairs({ 0, -1, 1.5, "x", true, {} }) do
				local shown = type(bad) == "table" and "{}" or ("%q"):format(tostring(bad))
				it(("%s = %s (%s) is one config error naming it"):format(name, shown, type(bad)), function()
					local p = E.new({ options = E.options({ [name] = bad }) })
					local errors = p:error_statuses()
					assert.are.equal(1, #errors)
					assert.matches("option '" .. name .. "'", errors[1])
					local _, mentions = errors[1]:gsub("option '", "")
					assert.are.equal(1, mentions)
					-- and nothing is reported while the configuration is wrong
					p:fire(MUC, "muc-room-created", { room = E.room("x") })
					assert.are.equal(0, #p.requests + #p.sockets)
				end)
			end
			it(name .. " = 1 and a numeric string are accepted", function()
				assert.are.same({}, E.new({ options = E.options({ [name] = 1 }) }):error_statuses())
				assert.are.same({}, E.new({ options = E.options({ [name] = "7" }) }):error_statuses())
			end)
		end

		for _, bad in ipairs({ "yes", 1, 0, "true", {} }) do
			it(("api_keepalive = %s (%s) is one config error naming it"):format(tostring(bad), type(bad)), function()
				local p = E.new({ options = E.options({ api_keepalive = bad }) })
				local errors = p:error_statuses()
				assert.are.equal(1, #errors)
				assert.matches("option 'api_keepalive' must be true or false", errors[1])
			end)
		end

		it("api_max_pending = 1 keeps only the newest event", function()
			local p = new({ api_max_pending = 1 })
			local r = busy_room(p, "one")
			r.more(3)
			assert.are.equal(4, dropped_total(p))
			assert.are.equal(1, max_of(p.metrics.pending.history))
			p:deliver_all(200)
			assert.are.equal(5, p:body(#p.requests).room_sequence)
		end)
	end)
end)
