-- Jitsi parity: is_breakout, breakout rooms reported as their main room, meeting_id,
-- active_occupants_count, speaker stats, user info, extra payload fields, the first-sight
-- buffer (created/joined held until muc-room-created) and the options behind them.
local E = require "spec.helpers.prosody_env"

local MUC, BREAKOUT, T0 = E.MUC, E.BREAKOUT, E.START
local MUC_EVENTS = { "muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed", "muc-broadcast-presence" }

local function new(extra, env)
	env = env or {}
	env.options = E.options(extra)
	env.hosts = env.hosts or { MUC, BREAKOUT }
	return E.new(env)
end

--- Every distinct event sent so far (retries counted once), in the order first sent.
local function sent(p)
	local out, seen = {}, {}
	for i in ipairs(p.requests) do
		local b = p:body(i)
		if not seen[b.event_id] then
			seen[b.event_id] = true
			out[#out + 1] = b
		end
	end
	return out
end

--- Delivers everything, then returns the distinct events sent.
local function delivered(p)
	p:deliver_all(200)
	return sent(p)
end

local function names(bodies)
	local out = {}
	for i, b in ipairs(bodies) do out[i] = b.event_name end
	return out
end

local function pluck(bodies, field)
	local out = {}
	for i, b in ipairs(bodies) do
		local v = b[field]
		if v == nil then v = "<nil>" end
		out[i] = v
	end
	return out
end

--- Only Prosody's muc-occupant-joined, without the muc-room-created that follows a first join.
local function joined_only(p, room, occupant, origin)
	local muc = room.jid:match("@(.*)$")
	p:fire(muc, "muc-occupant-joined", { room = room, nick = occupant.nick, occupant = occupant, origin = origin })
end

---------------------------------------------------------------------------------------------
describe("options of the Jitsi parity", function()
	it("breakout_component: the MUC events are hooked on that host too, at the same priorities", function()
		local p = new({ breakout_component = BREAKOUT })
		for _, host in ipairs({ MUC, BREAKOUT }) do
			assert.are.equal(5, p:hook_count(host), host)
			for _, event in ipairs(MUC_EVENTS) do
				assert.are.equal(1, #p.hooks[host][event], host .. " " .. event)
			end
		end
		local found = false
		for _, m in ipairs(p:logs_at("info")) do
			if m:find(BREAKOUT, 1, true) then found = true end
		end
		assert.is_true(found)
		assert.are.same({}, p:error_statuses())
	end)

	it("defaults breakout_component to breakout.<muc_mapper_domain_base>", function()
		local p = new({ muc_mapper_domain_base = "example.com" })
		assert.are.equal(5, p:hook_count("breakout.example.com"))
		assert.are.same({}, p:error_statuses())
	end)

	it("an explicit breakout_component wins over the muc_mapper_domain_base default", function()
		local p = new({ muc_mapper_domain_base = "example.com", breakout_component = "rooms.other.org" },
			{ hosts = { MUC, BREAKOUT, "rooms.other.org" } })
		assert.are.equal(5, p:hook_count("rooms.other.org"))
		assert.are.equal(0, p:hook_count(BREAKOUT))
	end)

	it("without either option no breakout host is hooked (nor for an empty or non-string domain base)", function()
		for _, base in ipairs({ false, "", 42 }) do
			local p = new({ muc_mapper_domain_base = base or nil })
			assert.are.equal(0, p:hook_count(BREAKOUT), tostring(base))
			assert.are.equal(5, p:hook_count(MUC))
			assert.are.same({}, p:error_statuses())
		end
	end)

	it("hooks the breakout host once it is activated after the module loaded", function()
		local p = new({ breakout_component = BREAKOUT }, { hosts = { MUC } })
		assert.are.equal(0, p:hook_count(BREAKOUT))
		p:activate_host(BREAKOUT)
		assert.are.equal(5, p:hook_count(BREAKOUT))
	end)

	it("hook priorities: created/joined/destroyed at -2 (after Jitsi's at 0 and -1), left at 10", function()
		local p = new({ breakout_component = BREAKOUT })
		local want = {
			["muc-room-created"] = -2, ["muc-occupant-joined"] = -2,
			["muc-room-destroyed"] = -2, ["muc-occupant-left"] = 10,
		}
		for _, host in ipairs({ MUC, BREAKOUT }) do
			for event, priority in pairs(want) do
				assert.are.equal(priority, p.hooks[host][event][1].priority, host .. " " .. event)
			end
		end
	end)

	local bad = {
		{ "include_speaker_stats", "yes", "must be true or false" },
		{ "include_speaker_stats", 1, "must be true or false" },
		{ "include_user_info", "true", "must be true or false" },
		{ "include_user_info", {}, "must be true or false" },
		{ "breakout_component", "", "must be a non-empty string" },
		{ "breakout_component", 42, "must be a non-empty string" },
	}
	for _, case in ipairs(bad) do
		local name, value, problem = case[1], case[2], case[3]
		it(("%s = %s (%s) is a configuration error naming it; nothing is hooked"):format(name, tostring(value), type(value)), function()
			local p = new({ [name] = value })
			local errors = p:error_statuses()
			assert.are.equal(1, #errors)
			assert.truthy(errors[1]:find("option '" .. name .. "' " .. problem, 1, true), errors[1])
			assert.are.equal(0, p:hook_count(MUC))
			assert.are.equal(0, p:hook_count(BREAKOUT))
		end)
	end

	it("reports all three bad new options in one message", function()
		local p = new({ include_speaker_stats = "on", include_user_info = 0, breakout_component = true })
		local errors = p:error_statuses()
		assert.are.equal(1, #errors)
		for _, name in ipairs({ "include_speaker_stats", "include_user_info", "breakout_component" }) do
			assert.truthy(errors[1]:find("option '" .. name .. "'", 1, true), errors[1])
		end
	end)

	it("accepts true and false for the two booleans", function()
		for _, v in ipairs({ true, false }) do
			local p = new({ include_speaker_stats = v, include_user_info = v })
			assert.are.same({}, p:error_statuses())
			assert.are.equal(5, p:hook_count(MUC))
		end
	end)
end)

---------------------------------------------------------------------------------------------
describe("breakout rooms", function()
	local p, main, other, br, alice, bob, scans

	before_each(function()
		p = new({ breakout_component = BREAKOUT })
		main = E.room("main")
		main._data.meetingId = "meeting-main"
		other = E.room("other")
		other._data.breakout_rooms = { ["elsewhere@" .. BREAKOUT] = "Not ours" }
		br = E.room("b7e1c0de", BREAKOUT)
		main._data.breakout_rooms = { [br.jid] = "Breakout 1" }
		scans = p:set_live_rooms(MUC, { other, main })
		alice = E.occupant(br, "a", "alice@example.com/r1")
		bob = E.occupant(br, "b", "bob@example.com/r2")
	end)

	it("report the MAIN room as room_name/room_jid, is_breakout = true and their own node as breakout_room_id", function()
		p:join(br, alice, E.session(alice.jid), true)
		p:join(br, bob, E.session(bob.jid))
		p:leave(br, bob)
		p:leave(br, alice, true) -- mod_muc destroys the empty breakout room
		local bodies = delivered(p)
		assert.are.same({
			"muc-room-created", "muc-occupant-joined", "muc-occupant-joined",
			"muc-occupant-left", "muc-occupant-left", "muc-room-destroyed",
		}, names(bodies))
		for _, b in ipairs(bodies) do
			assert.are.equal("main", b.room_name, b.event_name)
			assert.are.equal(main.jid, b.room_jid, b.event_name)
			assert.is_true(b.is_breakout, b.event_name)
			assert.are.equal("b7e1c0de", b.breakout_room_id, b.event_name)
			assert.are.equal("meeting-main", b.meeting_id, b.event_name)
		end
		assert.truthy(p.requests[1].body:find('"is_breakout":true', 1, true))
		assert.are.same({ 1, 2, 3, 4, 5, 6 }, pluck(bodies, "room_sequence"))
		assert.are.same({ "<nil>", 1, 2, 1, 0, "<nil>" }, pluck(bodies, "active_occupants_count"))
		assert.are.equal(2, #bodies[6].all_occupants)
	end)

	it("scan the main MUC's live rooms once per breakout room: later events cost O(1)", function()
		p:join(br, alice, nil, true)
		assert.are.equal(1, scans.count)
		local visited = scans.visited
		assert.are.equal(2, visited) -- stopped at the main room
		for i = 1, 10 do
			local o = E.occupant(br, "n" .. i, "u" .. i .. "@example.com/r")
			p:join(br, o, nil)
			p:leave(br, o)
		end
		p:leave(br, alice, true)
		delivered(p)
		assert.are.equal(1, scans.count)
		assert.are.equal(visited, scans.visited)
	end)

	it("drop the cached main room when the breakout room is destroyed", function()
		p:join(br, alice, nil, true)
		p:leave(br, alice, true)
		assert.are.equal(1, scans.count)
		-- the same JID again, no longer linked from the main room: searched again, now an orphan
		main._data.breakout_rooms = {}
		p:join(br, alice, nil, true)
		assert.are.equal(2, scans.count)
		local bodies = delivered(p)
		assert.are.equal(main.jid, bodies[1].room_jid)
		-- the orphan's events name itself as the room (and go out in a queue of their own)
		local joins = {}
		for _, body in ipairs(bodies) do
			if body.event_name == "muc-occupant-joined" then joins[#joins + 1] = body.room_jid end
		end
		table.sort(joins)
		assert.are.same({ br.jid, main.jid }, joins)
	end)

	it("use breakout_room.main_room (Jitsi's speaker stats cache) without scanning", function()
		br.main_room = main
		main._data.breakout_rooms = nil
		p:join(br, alice, nil, true)
		local bodies = delivered(p)
		assert.are.equal(0, scans.count)
		assert.are.equal(main.jid, bodies[1].room_jid)
		assert.are.equal("main", bodies[2].room_name)
		assert.are.equal("b7e1c0de", bodies[2].breakout_room_id)
		assert.are.equal("meeting-main", bodies[2].meeting_id)
	end)

	it("an orphan breakout room (no main room links it) reports itself, is_breakout still true", function()
		main._data.breakout_rooms = nil
		br._data.meetingId = "meeting-own"
		p:join(br, alice, nil, true)
		p:join(br, bob, nil)
		p:leave(br, alice)
		local bodies = delivered(p)
		assert.are.equal(4, #bodies)
		for _, b in ipairs(bodies) do
			assert.are.equal(br.jid, b.room_jid)
			assert.are.equal("b7e1c0de", b.room_name)
			assert.are.equal("b7e1c0de", b.breakout_room_id)
			assert.is_true(b.is_breakout)
			assert.are.equal("meeting-own", b.meeting_id)
		end
		-- the miss is cached too
		assert.are.equal(1, scans.count)
		assert.are.same({}, p:logs_at("error"))
	end)

	it("a main MUC without mod_muc's live_rooms: orphan, no error", function()
		p.hosts[MUC].modules.muc = nil
		p:join(br, alice, nil, true)
		local bodies = delivered(p)
		assert.are.equal(br.jid, bodies[1].room_jid)
		assert.is_true(bodies[1].is_breakout)
		assert.is_nil(bodies[1].meeting_id)
		assert.are.same({}, p:logs_at("error"))
	end)

	it("follow the main room's meeting id when it changes", function()
		p:join(br, alice, nil, true)
		main._data.meetingId = "meeting-2"
		p:join(br, bob, nil)
		local bodies = delivered(p)
		assert.are.same({ "meeting-main", "meeting-main", "meeting-2" }, pluck(bodies, "meeting_id"))
	end)

	it("do not change how the main room itself is reported", function()
		local host = E.occupant(main, "h", "host@example.com/r")
		p:join(main, host, nil, true)
		p:join(br, alice, nil, true)
		local mains, breakouts = {}, {}
		for _, b in ipairs(delivered(p)) do
			if b.breakout_room_id then breakouts[#breakouts + 1] = b else mains[#mains + 1] = b end
		end
		assert.are.equal(2, #mains)
		assert.are.equal(2, #breakouts)
		for _, b in ipairs(mains) do
			assert.is_false(b.is_breakout)
			assert.are.equal(main.jid, b.room_jid)
		end
		-- each room numbers its own events
		assert.are.same({ 1, 2 }, pluck(mains, "room_sequence"))
		assert.are.same({ 1, 2 }, pluck(breakouts, "room_sequence"))
	end)
end)

---------------------------------------------------------------------------------------------
describe("meeting_id", function()
	local p, room, alice, bob

	before_each(function()
		p = new()
		room = E.room("meet")
		alice = E.occupant(room, "a", "alice@example.com/r1")
		bob = E.occupant(room, "b", "bob@example.com/r2")
	end)

	it("is on created and joined when Jitsi sets it at muc-room-created priority 0 (after the first joined)", function()
		local calls = 0
		p:hook_other(MUC, "muc-room-created", function(event)
			calls = calls + 1
			event.room._data.meetingId = "m-1"
		end, 0)
		p:join(room, alice, nil, true) -- joined, then muc-room-created
		assert.are.equal(1, calls)
		local bodies = delivered(p)
		assert.are.same({ "muc-room-created", "muc-occupant-joined" }, names(bodies))
		assert.are.same({ "m-1", "m-1" }, pluck(bodies, "meeting_id"))
	end)

	it("is refreshed at every event (Jicofo may overwrite it)", function()
		room._data.meetingId = "m-1"
		p:join(room, alice, nil, true)
		room._data.meetingId = "m-2"
		p:join(room, bob, nil)
		room._data.meetingId = "m-3"
		p:leave(room, bob)
		room._data.meetingId = "m-4"
		p:leave(room, alice, true)
		local bodies = delivered(p)
		assert.are.same({ "m-1", "m-1", "m-2", "m-3", "m-4", "m-4" }, pluck(bodies, "meeting_id"))
	end)

	it("is absent without room._data.meetingId, or when it is not a string", function()
		p:join(room, alice, nil, true)
		room._data.meetingId = 12345
		p:join(room, bob, nil)
		for _, b in ipairs(delivered(p)) do assert.is_nil(b.meeting_id, b.event_name) end
	end)
end)

---------------------------------------------------------------------------------------------
describe("active_occupants_count", function()
	local p, room, alice, bob, carol, focus

	before_each(function()
		p = new()
		room = E.room("count")
		alice = E.occupant(room, "a", "alice@example.com/r1")
		bob = E.occupant(room, "b", "bob@example.com/r2")
		carol = E.occupant(room, "c", "carol@example.com/r3")
		focus = E.occupant(room, "focus", "focus@auth.example.com/focus123")
	end)

	it("counts who is inside after each join and leave, never focus; the synthesized lefts at destroy count down", function()
		p:join(room, alice, nil, true)
		p:join(room, focus, nil)
		p:join(room, bob, nil)
		p:join(room, carol, nil)
		p:leave(room, bob)
		p:leave(room, focus)
		p:destroy(room, { alice, focus, carol })
		local bodies = delivered(p)
		assert.are.same({
			"muc-room-created", "muc-occupant-joined", "muc-occupant-joined", "muc-occupant-joined",
			"muc-occupant-left", "muc-occupant-left", "muc-occupant-left", "muc-room-destroyed",
		}, names(bodies))
		assert.are.same({ "<nil>", 1, 2, 3, 2, 1, 0, "<nil>" }, pluck(bodies, "active_occupants_count"))
		assert.are.same({ alice.jid, carol.jid },
			{ bodies[6].occupant.occupant_jid, bodies[7].occupant.occupant_jid })
	end)

	it("a last leave that empties the room reports 0, then destroyed", function()
		p:join(room, alice, nil, true)
		p:leave(room, alice, true)
		local bodies = delivered(p)
		assert.are.same({ "muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed" },
			names(bodies))
		assert.are.equal(0, bodies[3].active_occupants_count)
		local raw
		for i in ipairs(p.requests) do
			if p:body(i).event_name == "muc-occupant-left" then raw = p.requests[i].body end
		end
		assert.truthy(raw:find('"active_occupants_count":0[,}]'), raw)
	end)

	it("a duplicate join is not counted twice; a nick change keeps the count", function()
		p:join(room, alice, nil, true)
		p:join(room, alice, nil)
		p:join(room, bob, E.session(bob.jid))
		-- bob changes nick: left (old nick) with 1, joined (new nick) with 2
		local stanza = E.stanza("presence", { to = room.jid .. "/bobby", from = bob.jid })
		p:fire(MUC, "muc-occupant-left", { room = room, nick = bob.nick, occupant = bob, stanza = stanza,
			origin = E.session(bob.jid) })
		local bodies = delivered(p)
		assert.are.same({ "<nil>", 1, 2, 1, 2 }, pluck(bodies, "active_occupants_count"))
	end)

	it("survives a reload", function()
		p:join(room, alice, nil, true)
		p:join(room, bob, nil)
		p:deliver_all()
		local p2 = p:reload()
		p2:join(room, carol, nil)
		p2:leave(room, alice)
		local bodies = delivered(p2)
		assert.are.same({ 3, 2 }, pluck(bodies, "active_occupants_count"))
	end)

	it("is only on joined and left", function()
		p:fire(MUC, "muc-room-created", { room = room })
		p:fire(MUC, "muc-room-destroyed", { room = room })
		local bodies = delivered(p)
		assert.are.same({ "muc-room-created", "muc-room-destroyed" }, names(bodies))
		for _, b in ipairs(bodies) do assert.is_nil(b.active_occupants_count) end
	end)
end)

---------------------------------------------------------------------------------------------
describe("include_speaker_stats", function()
	local room, alice, bob, carol

	before_each(function()
		room = E.room("talk")
		alice = E.occupant(room, "a", "alice@example.com/r1")
		bob = E.occupant(room, "b", "bob@example.com/r2")
		carol = E.occupant(room, "c", "carol@example.com/r3")
		room.speakerStats = {
			dominantSpeakerId = "someone", -- Jitsi keeps scalars in the same table
			[alice.jid] = { totalDominantSpeakerTime = 1500, _dominantSpeakerStart = 0, _isSilent = false },
		}
	end)

	local function left_of(bodies, jid)
		for _, b in ipairs(bodies) do
			if b.event_name == "muc-occupant-left" and b.occupant.occupant_jid == jid then return b end
		end
		error("no left for " .. jid)
	end

	it("adds total_dominant_speaker_time (ms) to left; not to joined", function()
		local p = new({ include_speaker_stats = true })
		p:join(room, alice, nil, true)
		p:leave(room, alice)
		local bodies = delivered(p)
		assert.are.equal(1500, left_of(bodies, alice.jid).occupant.total_dominant_speaker_time)
		assert.is_nil(bodies[2].occupant.total_dominant_speaker_time)
		assert.truthy(p.requests[#p.requests].body:find('"total_dominant_speaker_time":1500[,}]'))
	end)

	it("adds the interval still open (now - _dominantSpeakerStart) unless silent", function()
		local p = new({ include_speaker_stats = true })
		room.speakerStats[alice.jid] = { totalDominantSpeakerTime = 1000, _dominantSpeakerStart = (T0 + 10) * 1000 }
		room.speakerStats[bob.jid] = {
			totalDominantSpeakerTime = 700, _dominantSpeakerStart = (T0 + 10) * 1000, _isSilent = true,
		}
		p:join(room, alice, nil, true)
		p:join(room, bob, nil)
		p:deliver_all()
		p:advance(12.5)
		p:leave(room, alice)
		p:leave(room, bob)
		local bodies = delivered(p)
		assert.are.equal(3500, left_of(bodies, alice.jid).occupant.total_dominant_speaker_time)
		assert.are.equal(700, left_of(bodies, bob.jid).occupant.total_dominant_speaker_time)
	end)

	it("is 0 for an occupant the room has no entry for (and in a room without speaker stats)", function()
		local p = new({ include_speaker_stats = true })
		p:join(room, bob, nil, true)
		p:leave(room, bob)
		local plain = E.room("plain")
		local dave = E.occupant(plain, "d", "dave@example.com/r")
		p:join(plain, dave, nil, true)
		p:leave(plain, dave)
		local bodies = delivered(p)
		assert.are.equal(0, left_of(bodies, bob.jid).occupant.total_dominant_speaker_time)
		assert.are.equal(0, left_of(bodies, dave.jid).occupant.total_dominant_speaker_time)
	end)

	it("is in every all_occupants entry: at their leave for those gone, at destroy for those inside", function()
		local p = new({ include_speaker_stats = true })
		room.speakerStats[bob.jid] = { totalDominantSpeakerTime = 200, _dominantSpeakerStart = (T0 + 25) * 1000 }
		p:join(room, alice, nil, true)
		p:join(room, bob, nil)
		p:join(room, carol, nil)
		p:deliver_all()
		p:advance(20)
		p:leave(room, alice)
		p:deliver_all()
		-- later changes to alice's entry do not change what was reported at her leave
		room.speakerStats[alice.jid].totalDominantSpeakerTime = 99999
		p:advance(10)
		p:destroy(room, { bob, carol })
		local bodies = delivered(p)
		local destroyed = bodies[#bodies]
		assert.are.equal("muc-room-destroyed", destroyed.event_name)
		assert.are.same({ 1500, 5200, 0 }, pluck(destroyed.all_occupants, "total_dominant_speaker_time"))
		assert.are.equal(5200, left_of(bodies, bob.jid).occupant.total_dominant_speaker_time)
	end)

	it("is absent when the option is off (the default)", function()
		local p = new()
		p:join(room, alice, nil, true)
		p:join(room, bob, nil)
		p:leave(room, alice)
		p:destroy(room, { bob })
		local bodies = delivered(p)
		assert.is_nil(left_of(bodies, alice.jid).occupant.total_dominant_speaker_time)
		for _, o in ipairs(bodies[#bodies].all_occupants) do assert.is_nil(o.total_dominant_speaker_time) end
		for i in ipairs(p.requests) do
			assert.is_nil(p.requests[i].body:find("total_dominant_speaker_time", 1, true))
		end
	end)
end)

---------------------------------------------------------------------------------------------
describe("include_user_info", function()
	local room, alice

	local function user()
		return {
			id = "u-1", name = "Alice", email = "alice@example.com",
			avatar = "https://example.com/a.png", moderator = "true", group = "staff",
			-- keys that are ours: never overwritten
			occupant_jid = "spoof@evil.example/x", joined_at = 1,
		}
	end

	before_each(function()
		room = E.room("info")
		alice = E.occupant(room, "a", "alice@example.com/r1")
	end)

	it("adds every key of jitsi_meet_context_user to the occupant, never overwriting ours", function()
		local p = new({ include_user_info = true })
		local session = E.session(alice.jid, user())
		p:join(room, alice, session, true)
		p:advance(0)
		-- a later change to the session does not leak into what was copied at the join
		session.jitsi_meet_context_user.avatar = "changed"
		p:leave(room, alice, true)
		local bodies = delivered(p)
		assert.are.same(E.with_traits(alice, {
			occupant_jid = alice.jid, joined_at = T0,
			id = "u-1", name = "Alice", email = "alice@example.com",
			avatar = "https://example.com/a.png", moderator = "true", group = "staff",
		}), bodies[2].occupant)
		local left = {
			occupant_jid = alice.jid, joined_at = T0, left_at = T0,
			id = "u-1", name = "Alice", email = "alice@example.com",
			avatar = "https://example.com/a.png", moderator = "true", group = "staff",
		}
		assert.are.same(E.with_traits(alice, left), bodies[3].occupant)
		assert.are.same(left, bodies[4].all_occupants[1])
	end)

	it("cannot add a field of ours that an event leaves out (left_at on a join, speaker time)", function()
		local p = new({ include_user_info = true })
		local u = user()
		u.left_at, u.total_dominant_speaker_time, u.occupant = 123, 5, "spoof"
		p:join(room, alice, E.session(alice.jid, u), true)
		local bodies = delivered(p)
		assert.is_nil(bodies[2].occupant.left_at)
		assert.is_nil(bodies[2].occupant.total_dominant_speaker_time)
		assert.is_nil(bodies[2].occupant.occupant)
		assert.are.equal("https://example.com/a.png", bodies[2].occupant.avatar)
	end)

	it("is off by default: only name, email and id", function()
		local p = new()
		p:join(room, alice, E.session(alice.jid, user()), true)
		local bodies = delivered(p)
		local expected = { occupant_jid = alice.jid, joined_at = T0, id = "u-1", name = "Alice", email = "alice@example.com" }
		assert.are.same(E.with_traits(alice, expected), bodies[2].occupant)
	end)
end)

---------------------------------------------------------------------------------------------
describe("room._data.event_sync_extra_payload", function()
	local p, room, alice

	before_each(function()
		p = new()
		room = E.room("extra")
		alice = E.occupant(room, "a", "alice@example.com/r1")
	end)

	it("is merged into every payload of the room, never overwriting our fields", function()
		room._data.meetingId = "m-1"
		room._data.event_sync_extra_payload = {
			tenant = "acme", region = { "eu", "west" },
			event_name = "x", event_id = "x", event_timestamp_ms = 1, room_sequence = 99,
			room_name = "x", room_jid = "x@x", is_breakout = true, meeting_id = "x", occupant = "x",
			[1] = "not a string key",
		}
		p:join(room, alice, nil, true)
		p:leave(room, alice, true)
		local bodies = delivered(p)
		assert.are.equal(4, #bodies)
		for i, b in ipairs(bodies) do
			assert.are.equal("acme", b.tenant, b.event_name)
			assert.are.same({ "eu", "west" }, b.region)
			assert.are.equal(MUC_EVENTS[i], b.event_name)
			assert.are.equal(i, b.room_sequence)
			assert.are.equal(T0 * 1000, b.event_timestamp_ms)
			assert.are.equal(p.requests[i].headers["webhook-id"], b.event_id)
			assert.are.equal("extra", b.room_name)
			assert.are.equal(room.jid, b.room_jid)
			assert.is_false(b.is_breakout)
			assert.are.equal("m-1", b.meeting_id)
			assert.is_nil(b["1"])
			if i == 2 or i == 3 then assert.are.equal(alice.jid, b.occupant.occupant_jid) end
		end
	end)

	it("cannot add a field of ours that an event leaves out, and stops when removed", function()
		room._data.event_sync_extra_payload = {
			tenant = "acme", occupant = "spoof", active_occupants_count = 99, breakout_room_id = "fake",
			destroyed_at = 1, all_occupants = "x",
		}
		p:fire(MUC, "muc-room-created", { room = room })
		room._data.event_sync_extra_payload = nil
		p:join(room, alice, nil, false)
		local bodies = delivered(p)
		assert.are.equal("acme", bodies[1].tenant)
		for _, field in ipairs({ "occupant", "active_occupants_count", "breakout_room_id", "destroyed_at", "all_occupants" }) do
			assert.is_nil(bodies[1][field], field)
		end
		assert.is_nil(bodies[2].tenant)
	end)

	it("an extra payload that cannot be encoded costs only its own events, with an error logged", function()
		local cyclic = { tenant = "acme" }
		cyclic.self = cyclic
		local other = E.room("fine")
		local bob = E.occupant(other, "b", "bob@example.com/r2")
		room._data.event_sync_extra_payload = cyclic
		p:join(room, alice, nil, true)
		p:join(other, bob, nil, true)
		local bodies = delivered(p)
		assert.are.same({ other.jid, other.jid }, { bodies[1].room_jid, bodies[2].room_jid })
		assert.truthy(#p:logs_at("error") >= 1)
		assert.truthy(p:logs_at("error")[1]:find("Could not build muc%-room%-created for extra@"), p:logs_at("error")[1])
	end)

	it("is read again at every event; a non-table is ignored", function()
		room._data.event_sync_extra_payload = "not a table"
		p:join(room, alice, nil, true)
		room._data.event_sync_extra_payload = { tenant = "acme" }
		local bob = E.occupant(room, "b", "bob@example.com/r2")
		p:join(room, bob, nil)
		room._data.event_sync_extra_payload = { tenant = "globex" }
		p:leave(room, bob)
		local bodies = delivered(p)
		assert.are.same({ "<nil>", "<nil>", "acme", "globex" }, pluck(bodies, "tenant"))
		assert.are.same({}, p:logs_at("error"))
	end)

	it("on a breakout room: its own extra fields, the main room still reported as the room", function()
		p = new({ breakout_component = BREAKOUT })
		local main = E.room("main")
		local br = E.room("b1", BREAKOUT)
		main._data.breakout_rooms = { [br.jid] = "B1" }
		main._data.event_sync_extra_payload = { from_main = true }
		br._data.event_sync_extra_payload = { tenant = "acme", room_jid = "x", breakout_room_id = "x", is_breakout = false }
		p:set_live_rooms(MUC, { main })
		p:join(br, alice, nil, true)
		local b = delivered(p)[1]
		assert.are.equal("acme", b.tenant)
		assert.is_nil(b.from_main)
		assert.are.equal(main.jid, b.room_jid)
		assert.are.equal("b1", b.breakout_room_id)
		assert.is_true(b.is_breakout)
	end)
end)

---------------------------------------------------------------------------------------------
describe("first sight of a room through a join", function()
	local p, room, alice, bob

	before_each(function()
		p = new()
		room = E.room("first")
		alice = E.occupant(room, "a", "alice@example.com/r1")
		bob = E.occupant(room, "b", "bob@example.com/r2")
	end)

	it("holds created and joined until muc-room-created", function()
		joined_only(p, room, alice)
		assert.are.equal(0, #p.requests)
		room._data.meetingId = "set-before-created"
		p:fire(MUC, "muc-room-created", { room = room })
		assert.are.equal(1, #p.requests) -- one in flight per room
		local bodies = delivered(p)
		assert.are.same({ "muc-room-created", "muc-occupant-joined" }, names(bodies))
		assert.are.same({ "set-before-created", "set-before-created" }, pluck(bodies, "meeting_id"))
		-- the deferred flush finds nothing left to send
		p:advance(0)
		assert.are.equal(2, #delivered(p))
	end)

	it("sends them on the next loop turn when muc-room-created never comes (a room not new to Prosody)", function()
		joined_only(p, room, alice)
		assert.are.equal(0, #p.requests)
		assert.is_true(p:armed_timers() >= 1)
		p:advance(0)
		local bodies = delivered(p)
		assert.are.same({ "muc-room-created", "muc-occupant-joined" }, names(bodies))
		assert.are.same({ 1, 2 }, pluck(bodies, "room_sequence"))
		assert.are.same({ T0, T0 }, { bodies[1].created_at, bodies[2].occupant.joined_at })
	end)

	it("another event of the room sends what is held first, in order", function()
		joined_only(p, room, alice)
		joined_only(p, room, bob)
		assert.are.equal(1, #p.requests)
		p:leave(room, bob)
		p:leave(room, alice, true)
		local bodies = delivered(p)
		assert.are.same({
			"muc-room-created", "muc-occupant-joined", "muc-occupant-joined",
			"muc-occupant-left", "muc-occupant-left", "muc-room-destroyed",
		}, names(bodies))
		assert.are.same({ 1, 2, 3, 4, 5, 6 }, pluck(bodies, "room_sequence"))
		assert.are.same({ alice.jid, bob.jid }, { bodies[2].occupant.occupant_jid, bodies[3].occupant.occupant_jid })
		p:advance(0)
		assert.are.equal(6, #delivered(p))
	end)

	it("a destroyed right after the held join sends created, joined, left, destroyed", function()
		joined_only(p, room, alice)
		p:fire(MUC, "muc-room-destroyed", { room = room })
		assert.are.same({ "muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed" },
			names(delivered(p)))
	end)

	it("hands held events over on module:reload instead of losing them", function()
		joined_only(p, room, alice) -- held: no muc-room-created yet, the deferred flush not run
		assert.are.equal(0, #p.requests)
		local p2 = p:reload()
		local bodies = delivered(p2)
		assert.are.same({ "muc-room-created", "muc-occupant-joined" }, names(bodies))
		assert.are.same({ 1, 2 }, pluck(bodies, "room_sequence"))
		p2:advance(1)
		assert.are.equal(2, #delivered(p2)) -- and nothing twice
	end)

	it("holds each room on its own", function()
		local room2 = E.room("second")
		local carol = E.occupant(room2, "c", "carol@example.com/r3")
		joined_only(p, room, alice)
		joined_only(p, room2, carol)
		p:fire(MUC, "muc-room-created", { room = room2 })
		local bodies = delivered(p)
		assert.are.equal(2, #bodies)
		for _, b in ipairs(bodies) do assert.are.equal(room2.jid, b.room_jid) end
		p:advance(0)
		bodies = delivered(p)
		assert.are.equal(4, #bodies)
		assert.are.same({ room.jid, room.jid }, { bodies[3].room_jid, bodies[4].room_jid })
	end)

	it("does not hold a room first seen through muc-room-created, nor later joins", function()
		p:fire(MUC, "muc-room-created", { room = room })
		assert.are.equal(1, #p.requests)
		joined_only(p, room, alice)
		-- no clock movement: nothing waits for a timer
		assert.are.same({ "muc-room-created", "muc-occupant-joined" }, names(delivered(p)))
	end)
end)
