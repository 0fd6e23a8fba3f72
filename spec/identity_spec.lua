-- What identifies an event to the receiver: event_id (UUID v4, the webhook-id of every
-- attempt), event_timestamp_ms (when it happened) and room_sequence (1, 2, 3, ... per room).
local E = require "spec.helpers.prosody_env"

local MUC, T0 = E.MUC, E.START

local UUID4 = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89ab]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"

--- body field `field` of every request so far (optionally for one room).
local function field_of(p, field, room_jid)
	local out = {}
	for i in ipairs(p.requests) do
		local b = p:body(i)
		if room_jid == nil or b.room_jid == room_jid then out[#out + 1] = b[field] end
	end
	return out
end

--- A room's life: created, alice and bob join, bob leaves, alice leaves last (destroyed).
local function full_life(p, name)
	local room = E.room(name)
	local alice = E.occupant(room, "a", "alice@example.com/" .. name)
	local bob = E.occupant(room, "b", "bob@example.com/" .. name)
	p:join(room, alice, nil, true)
	p:join(room, bob, nil)
	p:leave(room, bob)
	p:leave(room, alice, true)
	return room
end

describe("event_id", function()
	it("is a UUID v4 and equals the request's webhook-id header", function()
		local p = E.new()
		full_life(p, "ids")
		p:deliver_all()
		assert.are.equal(6, #p.requests)
		for i, req in ipairs(p.requests) do
			local id = p:body(i).event_id
			assert.are.equal("string", type(id))
			assert.truthy(id:find(UUID4), id)
			assert.are.equal(id, req.headers["webhook-id"])
		end
	end)

	it("is different for every event, across rooms", function()
		local p = E.new()
		for r = 1, 5 do full_life(p, "distinct" .. r) end
		p:deliver_all()
		assert.are.equal(30, #p.requests)
		local seen = {}
		for _, id in ipairs(field_of(p, "event_id")) do
			assert.is_nil(seen[id], "event_id " .. id .. " used twice")
			seen[id] = true
		end
	end)

	it("is the same on every retry (5xx, transport failure, timeout) and in webhook-id", function()
		local p = E.new({ options = E.options({ api_timeout = 3, api_retry_backoff = "fixed" }) })
		p:fire(MUC, "muc-room-created", { room = E.room("retried") })
		p:respond(1, 503)
		p:advance(1)
		p:fail(2, "connection refused")
		p:advance(1)
		p:advance(3) -- attempt 3 times out
		p:advance(1)
		p:respond(4, 200)
		assert.are.equal(4, #p.requests)
		local id = p:body(1).event_id
		for i, req in ipairs(p.requests) do
			assert.are.equal(id, p:body(i).event_id)
			assert.are.equal(id, req.headers["webhook-id"])
			assert.are.equal(p.requests[1].body, req.body)
		end
	end)

	it("is kept when an undelivered event is handed over by a reload", function()
		local p = E.new()
		p:fire(MUC, "muc-room-created", { room = E.room("handover") })
		local id = p:body(1).event_id
		local p2 = p:reload()
		assert.are.equal(1, #p2.requests)
		assert.are.equal(id, p2:body(1).event_id)
		assert.are.equal(id, p2.requests[1].headers["webhook-id"])
		assert.are.equal(p.requests[1].body, p2.requests[1].body)
	end)
end)

describe("event_timestamp_ms", function()
	it("is when the event happened, in integer milliseconds of the clock", function()
		local p = E.new()
		local room = E.room("clock")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		p:advance(1.234)
		p:join(room, alice, nil, true)
		p:deliver_all()
		p:advance(60.5)
		p:leave(room, alice, true)
		p:deliver_all()
		assert.are.same({ T0 * 1000 + 1234, T0 * 1000 + 1234, T0 * 1000 + 61734, T0 * 1000 + 61734 },
			field_of(p, "event_timestamp_ms"))
		for i, req in ipairs(p.requests) do
			local ms = p:body(i).event_timestamp_ms
			assert.truthy(req.body:find('"event_timestamp_ms":' .. string.format("%d", ms) .. "[,}]"), req.body)
		end
	end)

	it("agrees with the second-resolution times of the same event", function()
		local p = E.new()
		p:advance(42.9)
		p:fire(MUC, "muc-room-created", { room = E.room("agree") })
		local b = p:body(1)
		assert.are.equal(b.created_at, math.floor(b.event_timestamp_ms / 1000))
	end)

	it("stays the time of the event on retries and after a reload, not the time of the attempt", function()
		local p = E.new({ options = E.options({ api_retry_backoff = "fixed", api_retry_delay = 5 }) })
		p:advance(0.5)
		p:fire(MUC, "muc-room-created", { room = E.room("late") })
		p:respond(1, 500)
		p:advance(5)
		local p2 = p:reload()
		p2:advance(30)
		assert.are.equal(T0 * 1000 + 500, p:body(1).event_timestamp_ms)
		assert.are.equal(T0 * 1000 + 500, p:body(2).event_timestamp_ms)
		assert.are.equal(T0 * 1000 + 500, p2:body(1).event_timestamp_ms)
	end)
end)

describe("room_sequence", function()
	it("numbers a room's events 1, 2, 3, ... in the order they are sent", function()
		local p = E.new()
		local room = full_life(p, "seq")
		p:deliver_all()
		assert.are.same({ 1, 2, 3, 4, 5, 6 }, field_of(p, "room_sequence"))
		assert.are.same({
			"muc-room-created", "muc-occupant-joined", "muc-occupant-joined",
			"muc-occupant-left", "muc-occupant-left", "muc-room-destroyed",
		}, p:event_names(room.jid))
	end)

	it("counts each room on its own, however their events interleave", function()
		local p = E.new()
		local a, b = E.room("ra"), E.room("rb")
		local x = E.occupant(a, "x", "x@example.com/r")
		local y = E.occupant(b, "y", "y@example.com/r")
		local z = E.occupant(a, "z", "z@example.com/r")
		p:join(a, x, nil, true) -- a: 1 created, 2 joined
		p:join(b, y, nil, true) -- b: 1 created, 2 joined
		p:join(a, z, nil) -- a: 3
		p:leave(b, y, true) -- b: 3 left, 4 destroyed
		p:leave(a, z) -- a: 4
		p:deliver_all()
		assert.are.same({ 1, 2, 3, 4 }, field_of(p, "room_sequence", a.jid))
		assert.are.same({ 1, 2, 3, 4 }, field_of(p, "room_sequence", b.jid))
	end)

	it("is the same on every retry, and the next event gets the next number", function()
		local p = E.new({ options = E.options({ api_retry_backoff = "fixed" }) })
		local room = E.room("seqretry")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		p:join(room, alice, nil, true)
		p:respond(1, 500)
		p:advance(1)
		p:respond(2, 500)
		p:advance(1)
		p:deliver_all()
		assert.are.same({ "muc-room-created", "muc-room-created", "muc-room-created", "muc-occupant-joined" },
			p:event_names())
		assert.are.same({ 1, 1, 1, 2 }, field_of(p, "room_sequence"))
	end)

	it("has no gaps when api_events leaves events out (only sent events are counted)", function()
		local p = E.new({ options = E.options({ api_events = { "muc-occupant-joined", "muc-room-destroyed" } }) })
		local room = full_life(p, "filtered")
		p:deliver_all()
		assert.are.same({ "muc-occupant-joined", "muc-occupant-joined", "muc-room-destroyed" }, p:event_names(room.jid))
		assert.are.same({ 1, 2, 3 }, field_of(p, "room_sequence"))
	end)

	it("continues across a reload (save/restore), for delivered and for handed-over events", function()
		local p = E.new()
		local room = E.room("kept")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		local bob = E.occupant(room, "b", "bob@example.com/r")
		p:join(room, alice, nil, true)
		p:deliver_all() -- 1 created, 2 joined
		p:join(room, bob, nil) -- 3, in flight during the reload
		local p2 = p:reload()
		assert.are.same({ 1, 2, 3 }, field_of(p, "room_sequence"))
		p2:leave(room, bob) -- 4
		p2:leave(room, alice, true) -- 5, 6
		p2:deliver_all()
		assert.are.same({ "muc-occupant-joined", "muc-occupant-left", "muc-occupant-left", "muc-room-destroyed" },
			p2:event_names())
		assert.are.same({ 3, 4, 5, 6 }, field_of(p2, "room_sequence"))
		assert.are.equal(p:body(3).event_id, p2:body(1).event_id)
	end)

	it("starts at 1 again for a room that is created again after it was destroyed", function()
		local p = E.new()
		full_life(p, "again")
		local room = E.room("again")
		local carol = E.occupant(room, "c", "carol@example.com/r")
		p:join(room, carol, nil, true)
		p:deliver_all()
		assert.are.same({ 1, 2, 3, 4, 5, 6, 1, 2 }, field_of(p, "room_sequence"))
	end)
end)
