-- all_occupants stays bounded whatever participants do: one entry per person (rejoins and nick
-- changes merged, with a sessions count), at most 1000 entries of ~256 KB in all (the rest
-- counted in all_occupants_omitted), and one identity copy per session.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC

--- A nick change as Prosody fires it (muc.lib.lua ~747): muc-occupant-left with the available
-- presence to the new nick. Returns the occupant under its new nick.
local function change_nick(p, room, occupant, new_nick, origin)
	local nick = room.jid .. "/" .. new_nick
	p:fire(MUC, "muc-occupant-left", {
		room = room, nick = occupant.nick, occupant = occupant,
		stanza = E.stanza("presence", { to = nick, from = occupant.jid }),
		origin = origin,
	})
	return { nick = nick, jid = occupant.jid, bare_jid = occupant.bare_jid, role = "participant" }
end

local function destroyed_body(p)
	for i = #p.requests, 1, -1 do
		if p:path(i) == "/events/room/destroyed" then return p:body(i), p:request(i).body end
	end
end

describe("all_occupants", function()
	it("merges one person's nick changes into one entry with their sessions (2000 nick changes)", function()
		local p = E.new()
		local room = E.room("nicks")
		local alice = E.occupant(room, "a", "alice@example.com/r1")
		local session = E.session(alice.jid, { name = "Alice", id = "u-1" })
		p:join(room, alice, session, true)
		local current = alice
		for i = 1, 2000 do
			p:advance(1)
			current = change_nick(p, room, current, "alice-" .. i, session)
			p:deliver_all()
		end
		p:advance(5)
		p:leave(room, current, true)
		p:deliver_all()
		local body, raw = destroyed_body(p)
		assert.are.same({ {
			occupant_jid = alice.jid, joined_at = E.START, left_at = E.START + 2005,
			name = "Alice", id = "u-1", sessions = 2001,
		} }, body.all_occupants)
		assert.is_nil(body.all_occupants_omitted)
		assert.truthy(#raw < 1024, #raw .. " bytes")
	end)

	it("merges rejoins of the same account (other resources), keeps other people apart", function()
		local p = E.new()
		local room = E.room("rejoin")
		local a1 = E.occupant(room, "a", "alice@example.com/phone")
		local b = E.occupant(room, "b", "bob@example.com/r")
		local a2 = E.occupant(room, "a2", "alice@example.com/laptop")
		p:join(room, a1, E.session(a1.jid, { name = "Alice" }), true)
		p:join(room, b, E.session(b.jid))
		p:advance(10)
		p:leave(room, a1)
		p:advance(10)
		p:join(room, a2, E.session(a2.jid, { name = "Alice" }))
		p:advance(10)
		p:leave(room, b)
		p:advance(10)
		p:leave(room, a2, true)
		p:deliver_all()
		local body = destroyed_body(p)
		assert.are.same({
			{ occupant_jid = a1.jid, joined_at = E.START, left_at = E.START + 40, name = "Alice", sessions = 2 },
			{ occupant_jid = b.jid, joined_at = E.START, left_at = E.START + 30 },
		}, body.all_occupants)
		-- joined and left still name each session's own JID
		assert.are.same({ a1.jid, b.jid, a1.jid, a2.jid, b.jid, a2.jid }, (function()
			local out = {}
			for i = 1, #p.requests do
				local o = p:body(i).occupant
				if o then out[#out + 1] = o.occupant_jid end
			end
			return out
		end)())
	end)

	it("lists at most 1000 people and counts the joins of the rest in all_occupants_omitted", function()
		local p = E.new({ options = E.options({ api_events = { "muc-room-destroyed" } }) })
		local room = E.room("crowd")
		local first = true
		local guests = {}
		for i = 1, 1200 do
			local g = E.occupant(room, "g" .. i, "guest" .. i .. "@guest.example.com/r")
			p:join(room, g, E.session(g.jid), first)
			first = false
			guests[#guests + 1] = g
		end
		-- one listed guest rejoins (merged), one of the left-out ones too (counted again)
		p:leave(room, guests[1])
		p:join(room, guests[1], E.session(guests[1].jid))
		p:leave(room, guests[1100])
		p:join(room, guests[1100], E.session(guests[1100].jid))
		p:fire(MUC, "muc-room-destroyed", { room = room })
		p:deliver_all()
		local body, raw = destroyed_body(p)
		assert.are.equal(1000, #body.all_occupants)
		assert.are.equal(201, body.all_occupants_omitted)
		assert.are.equal(guests[1000].jid, body.all_occupants[1000].occupant_jid)
		assert.are.equal(2, body.all_occupants[1].sessions)
		assert.truthy(raw:find('"all_occupants_omitted":201[,}]'), "integer count")
		assert.truthy(#raw < 256 * 1024, #raw .. " bytes")
	end)

	it("keeps the destroyed body within ~256 KB for huge JIDs and contexts", function()
		local p = E.new({ options = E.options({ include_user_info = true, api_events = { "muc-room-destroyed" } }) })
		local room = E.room("big")
		for i = 1, 300 do
			local g = E.occupant(room, "g" .. i, "guest" .. i .. "@guest.example.com/" .. string.rep("r", 1023))
			local user = { name = string.rep("n", 5000) }
			for k = 1, 100 do user["key" .. k] = string.rep("v", 300) end
			p:join(room, g, E.session(g.jid, user), i == 1)
		end
		p:fire(MUC, "muc-room-destroyed", { room = room })
		p:deliver_all()
		local body, raw = destroyed_body(p)
		assert.truthy(#raw <= 256 * 1024, #raw .. " bytes")
		assert.truthy(#body.all_occupants >= 20, #body.all_occupants .. " listed")
		assert.are.equal(300, #body.all_occupants + body.all_occupants_omitted)
	end)

	it("sums a person's speaking time over their sessions' JIDs (Jitsi keeps a running total per JID)", function()
		local p = E.new({ options = E.options({ include_speaker_stats = true }) })
		local room = E.room("talk")
		local a1 = E.occupant(room, "a", "alice@example.com/phone")
		local a2 = E.occupant(room, "a2", "alice@example.com/laptop")
		room.speakerStats = { [a1.jid] = { totalDominantSpeakerTime = 1000 } }
		p:join(room, a1, E.session(a1.jid), true)
		p:leave(room, a1)
		room.speakerStats[a1.jid].totalDominantSpeakerTime = 1500 -- same JID again: its total grew
		p:join(room, a1, E.session(a1.jid))
		p:leave(room, a1)
		room.speakerStats[a2.jid] = { totalDominantSpeakerTime = 200 }
		p:join(room, a2, E.session(a2.jid))
		p:leave(room, a2, true)
		p:deliver_all()
		local body = destroyed_body(p)
		assert.are.equal(1700, body.all_occupants[1].total_dominant_speaker_time)
		assert.are.equal(3, body.all_occupants[1].sessions)
	end)
end)

describe("room memory", function()
	it("stays flat over 2000 nick changes with a large user context (one copy per session)", function()
		-- only destroyed is sent, so the fake HTTP's record of requests does not grow either
		local p = E.new({ options = E.options({ include_user_info = true, api_events = { "muc-room-destroyed" } }) })
		local room = E.room("flat")
		local alice = E.occupant(room, "a", "alice@example.com/r1")
		local user = { name = "Alice" }
		for k = 1, 300 do user["key" .. k] = "value " .. k end
		local session = E.session(alice.jid, user)
		p:join(room, alice, session, true)
		p:deliver_all()
		local current = alice
		for i = 1, 200 do
			current = change_nick(p, room, current, "n" .. i, session)
			p:deliver_all()
		end
		collectgarbage("collect")
		local before = collectgarbage("count")
		for i = 201, 2200 do
			current = change_nick(p, room, current, "n" .. i, session)
			p:deliver_all()
		end
		collectgarbage("collect")
		local grown = collectgarbage("count") - before
		assert.truthy(grown < 256, string.format("grew by %.0f KB", grown))
	end)

	it("upgrades rooms handed over by an older version (every join in a history list)", function()
		local p = E.new()
		local room = E.room("legacy")
		local alice = E.occupant(room, "a", "alice@example.com/r1")
		local bob = E.occupant(room, "b", "bob@example.com/r1")
		p:join(room, alice, E.session(alice.jid, { name = "Alice" }), true)
		p:join(room, bob, E.session(bob.jid))
		p:leave(room, bob)
		p:deliver_all()
		local save = p.module.save
		p.module.save = function()
			local state = save()
			for _, r in pairs(state.rooms) do
				-- what 0.1.0 handed over: history of occupant records, no attendance
				local history = {}
				for _, person in ipairs(r.attendance.listed) do
					history[#history + 1] = { nick = "x", occupantJid = person.occupantJid, joinedAt = person.joinedAt,
						leftAt = person.leftAt, identity = person.identity }
				end
				for _, o in pairs(r.present) do history[1] = o; o.person, o.seq = nil, nil end
				r.history, r.attendance, r.joins = history, nil, nil
			end
			return state
		end
		local p2 = p:reload()
		p2:advance(3)
		p2:leave(room, alice, true)
		p2:deliver_all()
		assert.are.same({ "muc-occupant-left", "muc-room-destroyed" }, p2:event_names())
		local body = p2:body(2)
		assert.are.same({
			{ occupant_jid = alice.jid, joined_at = E.START, left_at = E.START + 3, name = "Alice" },
			{ occupant_jid = bob.jid, joined_at = E.START, left_at = E.START },
		}, body.all_occupants)
	end)
end)
