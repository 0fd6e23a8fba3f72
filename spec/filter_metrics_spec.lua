-- api_events (which events are sent) and the delivery metrics on module:measure.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC
local SUFFIXES = { "room_created", "occupant_joined", "occupant_left", "room_destroyed", "occupant_role_changed",
	"lobby_joined", "lobby_left", "recording_started", "recording_stopped", "live_stream_started", "live_stream_stopped" }
local COUNTERS = { "produced", "delivered", "retried", "gave_up", "dropped" }

--- A room's life: created, alice joins, alice leaves last (destroyed).
local function life(p, name)
	local room = E.room(name)
	local alice = E.occupant(room, "a", "alice@example.com/" .. name)
	p:join(room, alice, nil, true)
	p:leave(room, alice, true)
	return room
end

--- { produced_room_created = n, ... } for every counter.
local function counts(p)
	local out = {}
	for _, c in ipairs(COUNTERS) do
		for _, s in ipairs(SUFFIXES) do out[c .. "_" .. s] = p.metrics[c .. "_" .. s].count end
	end
	return out
end

--- All counters 0, except those given.
local function expect(extra)
	local out = {}
	for _, c in ipairs(COUNTERS) do
		for _, s in ipairs(SUFFIXES) do out[c .. "_" .. s] = 0 end
	end
	for k, v in pairs(extra) do
		assert(out[k] ~= nil, "unknown metric " .. k)
		out[k] = v
	end
	return out
end

describe("api_events", function()
	it("sends all four events by default", function()
		local p = E.new()
		life(p, "all")
		p:deliver_all()
		assert.are.same({ "muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed" },
			p:event_names())
	end)

	it("sends only the listed events", function()
		local p = E.new({ options = E.options({ api_events = { "muc-room-created", "muc-room-destroyed" } }) })
		life(p, "rooms-only")
		p:deliver_all()
		assert.are.same({ "muc-room-created", "muc-room-destroyed" }, p:event_names())
		assert.are.same({ "/events/room/created", "/events/room/destroyed" }, { p:path(1), p:path(2) })
		-- the room is still tracked in full: all_occupants lists alice though joined was not sent
		assert.are.equal(1, #p:body(2).all_occupants)
		assert.are.same({ 1, 2 }, { p:body(1).room_sequence, p:body(2).room_sequence })
	end)

	it("accepts a single event name as a string", function()
		local p = E.new({ options = E.options({ api_events = "muc-occupant-left" }) })
		life(p, "left-only")
		p:deliver_all()
		assert.are.same({ "muc-occupant-left" }, p:event_names())
		assert.are.same({}, p:error_statuses())
	end)

	it("counts only sent events as produced", function()
		local p = E.new({ options = E.options({ api_events = { "muc-occupant-joined" } }) })
		life(p, "counted")
		p:deliver_all()
		assert.are.same(expect({ produced_occupant_joined = 1, delivered_occupant_joined = 1 }), counts(p))
	end)

	for _, case in ipairs({
		{ "an unknown event name", { "muc-room-created", "muc-room-exploded" }, "muc-room-exploded" },
		{ "a misspelt single name", "room-created", "room-created" },
		{ "a non-string item", { "muc-room-created", 7 }, nil },
		{ "a number", 3, nil },
		{ "an empty list", {}, nil },
		{ "named keys instead of a list", { first = "muc-room-created" }, nil },
	}) do
		local what, value, named = case[1], case[2], case[3]
		it("(" .. what .. ") is one config error naming api_events" .. (named and " and the name" or ""), function()
			local p = E.new({ options = E.options({ api_events = value }) })
			local errors = p:error_statuses()
			assert.are.equal(1, #errors)
			assert.truthy(errors[1]:find("'api_events'", 1, true), errors[1])
			if named then assert.truthy(errors[1]:find('"' .. named .. '"', 1, true), errors[1]) end
			assert.are.equal(0, p:hook_count(MUC))
			life(p, "ignored")
			assert.are.equal(0, #p.requests)
		end)
	end
end)

describe("metrics (module:measure)", function()
	it("registers a rate per counter and event, delivery_latency in seconds and the pending amount", function()
		local p = E.new()
		for _, c in ipairs(COUNTERS) do
			for _, s in ipairs(SUFFIXES) do
				local m = p.metrics[c .. "_" .. s]
				assert.is_table(m, c .. "_" .. s)
				assert.are.equal("rate", m.type)
			end
		end
		assert.are.equal("distribution", p.metrics.delivery_latency.type)
		assert.are.equal("seconds", p.metrics.delivery_latency.conf.unit)
		assert.are.equal("amount", p.metrics.pending.type)
		local n = 0
		for _ in pairs(p.metrics) do n = n + 1 end
		assert.are.equal(57, n) -- 5 counters x 11 events, latency, pending
	end)

	it("counts produced and delivered per event type", function()
		local p = E.new()
		local room = E.room("counted")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		local bob = E.occupant(room, "b", "bob@example.com/r")
		p:join(room, alice, nil, true)
		p:join(room, bob, nil)
		assert.are.same(expect({ produced_room_created = 1, produced_occupant_joined = 2 }), counts(p))
		p:deliver_all()
		p:leave(room, bob)
		p:leave(room, alice, true)
		p:deliver_all()
		assert.are.same(expect({
			produced_room_created = 1, produced_occupant_joined = 2, produced_occupant_left = 2, produced_room_destroyed = 1,
			delivered_room_created = 1, delivered_occupant_joined = 2, delivered_occupant_left = 2, delivered_room_destroyed = 1,
		}), counts(p))
	end)

	it("counts retried per retry and gave_up per event given up", function()
		local p = E.new({ options = E.options({ retry_count = 2, api_retry_backoff = "fixed" }) })
		local room = E.room("failing")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		p:join(room, alice, nil, true)
		p:respond(1, 500) -- created: retried
		p:advance(1)
		p:respond(2, 500) -- retried again
		p:advance(1)
		p:respond(3, 500) -- third attempt of 1 + 2: given up
		assert.are.same(expect({
			produced_room_created = 1, produced_occupant_joined = 1, retried_room_created = 2, gave_up_room_created = 1,
		}), counts(p))
		p:respond(4, 404) -- joined: not retryable, given up at once
		p:leave(room, alice, true)
		p:fail(5, "connection refused") -- left: retried once, then delivered
		p:advance(1)
		p:deliver_all()
		assert.are.same(expect({
			produced_room_created = 1, produced_occupant_joined = 1, produced_occupant_left = 1, produced_room_destroyed = 1,
			retried_room_created = 2, retried_occupant_left = 1,
			gave_up_room_created = 1, gave_up_occupant_joined = 1,
			delivered_occupant_left = 1, delivered_room_destroyed = 1,
		}), counts(p))
	end)

	it("pending rises while the receiver is down and returns to 0 once everything is delivered", function()
		local p = E.new({ options = E.options({ api_retry_backoff = "fixed", retry_count = 10 }) })
		local seen = {}
		local function sample() seen[#seen + 1] = p.metrics.pending.value end
		p:fire(MUC, "muc-room-created", { room = E.room("down1") })
		sample()
		p:fail(1, "connection refused")
		sample()
		p:fire(MUC, "muc-room-created", { room = E.room("down2") })
		sample()
		local r = E.room("down1")
		p:join(r, E.occupant(r, "a", "alice@example.com/r"), nil)
		sample()
		for _, req in ipairs(p:open_requests()) do p:fail(req.index) end
		p:advance(1)
		sample()
		assert.are.same({ 1, 1, 2, 3, 3 }, seen)
		p:deliver_all()
		assert.are.equal(0, p.metrics.pending.value)
	end)

	it("pending counts a delivery given up as done", function()
		local p = E.new()
		p:fire(MUC, "muc-room-created", { room = E.room("lost") })
		assert.are.equal(1, p.metrics.pending.value)
		p:respond(1, 400)
		assert.are.equal(0, p.metrics.pending.value)
	end)

	it("delivery_latency samples seconds from the event to its delivery", function()
		local p = E.new({ options = E.options({ api_retry_backoff = "fixed", api_retry_delay = 2.5 }) })
		p:advance(0.25)
		p:fire(MUC, "muc-room-created", { room = E.room("slow") })
		p:advance(1)
		p:respond(1, 503)
		p:advance(2.5)
		p:respond(2, 200) -- 1 + 2.5 s after the event
		p:fire(MUC, "muc-room-created", { room = E.room("fast") })
		p:respond(3, 200)
		assert.are.equal(2, #p.metrics.delivery_latency.samples)
		assert.is_true(math.abs(p.metrics.delivery_latency.samples[1] - 3.5) < 1e-9, p.metrics.delivery_latency.samples[1])
		assert.are.equal(0, p.metrics.delivery_latency.samples[2])
	end)

	it("are created again by a reloaded instance (Prosody scopes them to the module)", function()
		local p = E.new()
		p:fire(MUC, "muc-room-created", { room = E.room("re") })
		local p2 = p:reload()
		assert.are.equal("rate", p2.metrics.produced_room_created.type)
		-- the handed-over delivery is pending in the new instance
		assert.are.equal(1, p2.metrics.pending.value)
		p2:deliver_all()
		assert.are.equal(1, p2.metrics.delivered_room_created.count)
		assert.are.equal(0, p2.metrics.pending.value)
		-- a handed-over delivery is not a new event: Prosody keeps the counter across reloads
		assert.are.equal(0, p2.metrics.produced_room_created.count)
	end)
end)
