-- What the receiver gets: URLs, headers, JSON bodies of the four events.
local E = require "spec.helpers.prosody_env"

local MUC, T0 = E.MUC, E.START

--- Asserts that the raw JSON has `"field":<integer>` (not 1.7e9, not 1700000000.0, not a string).
local function assert_integer(raw, field, value)
	local pattern = '"' .. field .. '":' .. string.format("%d", value) .. "[,}]"
	assert.truthy(raw:find(pattern), "expected integer " .. field .. "=" .. value .. " in " .. raw)
end

--- A UUID v4 in its canonical lower-case form.
local UUID4 = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89ab]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"

--- Checks the three identity fields every payload has and returns the body's event_id, so
-- that exact comparisons can include it.
local function identity(p, i, sequence, timestamp_ms)
	local body, raw = p:body(i), p:request(i).body
	assert.are.equal("string", type(body.event_id))
	assert.truthy(body.event_id:find(UUID4), body.event_id)
	assert.are.equal(body.event_id, p:request(i).headers["webhook-id"])
	assert.are.equal(sequence, body.room_sequence)
	assert.are.equal(timestamp_ms, body.event_timestamp_ms)
	assert_integer(raw, "room_sequence", sequence)
	assert_integer(raw, "event_timestamp_ms", timestamp_ms)
	return body.event_id
end

local function find_request(p, path)
	for i, req in ipairs(p.requests) do
		if p:path(i) == path then return i, req end
	end
end

describe("payloads", function()
	local p, room, alice, bob

	before_each(function()
		p = E.new()
		room = E.room("catchup")
		alice = E.occupant(room, "a1b2", "alice@meet.example.com/web-1")
		bob = E.occupant(room, "c3d4", "bob@meet.example.com/web-2")
	end)

	it("muc-room-created: event_name, event_id, event_timestamp_ms, room_sequence, room_name, room_jid, integer created_at", function()
		p:join(room, alice, E.session(alice.jid), true)
		local i, req = find_request(p, "/events/room/created")
		assert.are.equal(1, i)
		assert.are.same({
			event_name = "muc-room-created",
			event_id = identity(p, i, 1, T0 * 1000),
			event_timestamp_ms = T0 * 1000,
			room_sequence = 1,
			room_name = "catchup",
			room_jid = "catchup@" .. MUC,
			is_breakout = false,
			created_at = T0,
		}, p:body(i))
		assert_integer(req.body, "created_at", T0)
		assert.truthy(req.body:find('"is_breakout":false', 1, true), req.body)
	end)

	it("muc-occupant-joined: the real full JID as occupant_jid and name/email/id from the JWT", function()
		p:advance(5)
		p:join(room, alice, E.session(alice.jid, {
			id = "00380324-a840", name = "Alice Liddell", email = "alice@example.com", avatar = "x",
		}), true)
		p:respond(1, 200)
		local body = p:body(2)
		assert.are.equal("/events/occupant/joined", p:path(2))
		assert.are.same({
			event_name = "muc-occupant-joined",
			event_id = identity(p, 2, 2, (T0 + 5) * 1000),
			event_timestamp_ms = (T0 + 5) * 1000,
			room_sequence = 2,
			room_name = "catchup",
			room_jid = "catchup@" .. MUC,
			is_breakout = false,
			active_occupants_count = 1,
			occupant = E.with_traits(alice, {
				occupant_jid = "alice@meet.example.com/web-1",
				joined_at = T0 + 5,
				name = "Alice Liddell",
				email = "alice@example.com",
				id = "00380324-a840",
			}),
		}, body)
		assert_integer(p.requests[2].body, "joined_at", T0 + 5)
	end)

	it("muc-occupant-joined without a JWT context has no name, email or id", function()
		p:join(room, alice, E.session(alice.jid), true)
		p:respond(1, 200)
		assert.are.same(E.with_traits(alice, { occupant_jid = alice.jid, joined_at = T0 }), p:body(2).occupant)
	end)

	it("muc-occupant-joined with no origin at all still reports the occupant", function()
		p:join(room, alice, nil, true)
		p:respond(1, 200)
		assert.are.same(E.with_traits(alice, { occupant_jid = alice.jid, joined_at = T0 }), p:body(2).occupant)
	end)

	it("copies identity fields from the JWT context as text (a numeric id too), nothing else", function()
		p:join(room, alice, E.session(alice.jid, { name = "Alice", email = false, id = 7 }), true)
		p:respond(1, 200)
		assert.are.same(E.with_traits(alice, { occupant_jid = alice.jid, joined_at = T0, name = "Alice", id = "7" }), p:body(2).occupant)
	end)

	it("muc-occupant-left: joined_at and integer left_at of that occupant", function()
		p:join(room, alice, E.session(alice.jid, { name = "Alice" }), true)
		p:join(room, bob, E.session(bob.jid))
		p:deliver_all()
		p:advance(30)
		p:leave(room, alice)
		p:deliver_all()
		local i, req = find_request(p, "/events/occupant/left")
		assert.are.equal(4, i)
		assert.are.same({
			event_name = "muc-occupant-left",
			event_id = identity(p, i, 4, (T0 + 30) * 1000),
			event_timestamp_ms = (T0 + 30) * 1000,
			room_sequence = 4,
			room_name = "catchup",
			room_jid = "catchup@" .. MUC,
			is_breakout = false,
			-- bob is still inside; alice, who left, is not counted
			active_occupants_count = 1,
			-- an unavailable presence without a status: the client left
			disconnect_reason = "left",
			occupant = E.with_traits(alice, { occupant_jid = alice.jid, joined_at = T0, left_at = T0 + 30, name = "Alice" }),
		}, p:body(i))
		assert_integer(req.body, "left_at", T0 + 30)
		assert_integer(req.body, "active_occupants_count", 1)
	end)

	it("muc-room-destroyed: all_occupants in join order, those still inside left at destroyed_at", function()
		p:join(room, alice, E.session(alice.jid, { name = "Alice" }), true)
		p:advance(10)
		p:join(room, bob, E.session(bob.jid))
		p:deliver_all()
		p:advance(10)
		p:leave(room, alice)
		p:deliver_all()
		p:advance(10)
		-- the room disappears without a muc-occupant-left for bob
		p:fire(MUC, "muc-room-destroyed", { room = room })
		p:deliver_all()
		local i, req = find_request(p, "/events/room/destroyed")
		-- room_sequence 6: created, 2 joined, 2 left (bob's at destroy time), destroyed. (created
		-- was sent twice: its first attempt timed out during the first advance(10).)
		assert.are.equal(7, #p.requests)
		assert.are.same({ 1, 1, 2, 3, 4, 5, 6 }, (function()
			local seqs = {}
			for k in ipairs(p.requests) do seqs[k] = p:body(k).room_sequence end
			return seqs
		end)())
		assert.are.equal(p:body(1).event_id, p:body(2).event_id)
		assert.are.same({
			event_name = "muc-room-destroyed",
			event_id = identity(p, i, 6, (T0 + 30) * 1000),
			event_timestamp_ms = (T0 + 30) * 1000,
			room_sequence = 6,
			room_name = "catchup",
			room_jid = "catchup@" .. MUC,
			is_breakout = false,
			created_at = T0,
			destroyed_at = T0 + 30,
			all_occupants = {
				{ occupant_jid = alice.jid, joined_at = T0, left_at = T0 + 20, name = "Alice" },
				{ occupant_jid = bob.jid, joined_at = T0 + 10, left_at = T0 + 30 },
			},
		}, p:body(i))
		assert_integer(req.body, "created_at", T0)
		assert_integer(req.body, "destroyed_at", T0 + 30)
		assert.truthy(req.body:find('"all_occupants":[{', 1, true), req.body)
	end)

	it("muc-room-destroyed: all_occupants is a JSON array [] when nobody joined", function()
		-- mod_muc's create_room path: muc-room-created without any occupant
		p:fire(MUC, "muc-room-created", { room = room })
		p:advance(2)
		p:fire(MUC, "muc-room-destroyed", { room = room })
		p:deliver_all()
		local i, req = find_request(p, "/events/room/destroyed")
		assert.truthy(req.body:find('"all_occupants":[]', 1, true), req.body)
		assert.is_nil(req.body:find('"all_occupants":{}', 1, true))
		assert.are.equal(T0 + 2, p:body(i).destroyed_at)
	end)

	it("times stay integer seconds when the clock is between seconds; event_timestamp_ms has the ms", function()
		p:advance(0.75)
		p:join(room, alice, E.session(alice.jid), true)
		assert_integer(p.requests[1].body, "created_at", T0)
		assert_integer(p.requests[1].body, "event_timestamp_ms", T0 * 1000 + 750)
	end)
end)

describe("requests", function()
	it("POST to api_prefix + path, JSON content type, our User-Agent and the api_headers", function()
		local p = E.new({ options = E.options({
			api_headers = { Authorization = "Bearer TOKEN-1", ["X-Tenant"] = "acme" },
		}) })
		p:fire(MUC, "muc-room-created", { room = E.room("r") })
		local req = p.requests[1]
		assert.are.equal(E.PREFIX .. "/events/room/created", req.url)
		assert.are.equal("POST", req.options.method)
		assert.is_true(req.options.suppress_url)
		assert.are.equal(req.body, req.options.body)
		assert.are.equal("application/json", req.headers["Content-Type"])
		assert.truthy(req.headers["User-Agent"]:find("^mod_event_sync_component/%d+%.%d+%.%d+ %(Prosody%)$"),
			req.headers["User-Agent"])
		assert.are.equal("Bearer TOKEN-1", req.headers["Authorization"])
		assert.are.equal("acme", req.headers["X-Tenant"])
		assert.are.equal(p:body(1).event_id, req.headers["webhook-id"])
		-- unsigned unless api_signing_secret is set
		assert.is_nil(req.headers["webhook-timestamp"])
		assert.is_nil(req.headers["webhook-signature"])
	end)

	it("uses the four documented paths", function()
		local p = E.new()
		local room = E.room("paths")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		p:join(room, alice, nil, true)
		p:deliver_all()
		p:leave(room, alice, true)
		p:deliver_all()
		local paths = {}
		for i in ipairs(p.requests) do paths[i] = p:path(i) end
		assert.are.same({
			"/events/room/created", "/events/occupant/joined", "/events/occupant/left", "/events/room/destroyed",
		}, paths)
	end)

	for _, prefix in ipairs({ E.PREFIX .. "/", E.PREFIX .. "//" }) do
		it("ignores trailing slashes of api_prefix (" .. prefix .. ")", function()
			local p = E.new({ options = E.options({ api_prefix = prefix }) })
			p:fire(MUC, "muc-room-created", { room = E.room("r") })
			assert.are.equal(E.PREFIX .. "/events/room/created", p.requests[1].url)
		end)
	end
end)
