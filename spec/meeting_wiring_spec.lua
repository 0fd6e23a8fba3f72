-- The wiring of disconnect_reason and occupant/role-changed (src/prosody/leave_watch.ts,
-- role_watch.ts) on the fake Prosody, in the order muc.lib.lua fires its events: the room's
-- broadcast (muc-broadcast-presence) first, then muc-occupant-left.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC
local MUC_USER = "http://jabber.org/protocol/muc#user"
local ALL = { "muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed",
	"muc-occupant-role-changed" }

--- The x of a broadcast, with these status codes (built like muc.lib.lua: children without xmlns).
local function x_with(...)
	local statuses = {}
	for _, code in ipairs({ ... }) do statuses[#statuses + 1] = E.stanza("status", { code = code }) end
	return E.stanza("x", { xmlns = MUC_USER }, statuses)
end

describe("disconnect_reason and role changes, wired", function()
	local p, room, alice, bob

	before_each(function()
		p = E.new({ options = E.options({ api_events = ALL }) })
		room = E.room("wiring")
		alice = E.occupant(room, "a", "alice@example.com/r1")
		bob = E.occupant(room, "b", "bob@example.com/r2")
		p:join(room, alice, E.session(alice.jid), true)
		p:join(room, bob, E.session(bob.jid))
		p:deliver_all()
	end)

	it("a kick: the broadcast's 307 makes the stanza-less muc-occupant-left 'kicked'", function()
		bob.role = nil -- set_role(…, nil) takes the role before it broadcasts
		p:fire(MUC, "muc-broadcast-presence", { room = room, occupant = bob, x = x_with("307"), stanza = E.stanza("presence"),
			actor = alice.jid })
		p:fire(MUC, "muc-occupant-left", { room = room, nick = bob.nick, occupant = bob })
		p:deliver_all()
		assert.are.equal("muc-occupant-left", p:body(4).event_name)
		assert.are.equal("kicked", p:body(4).disconnect_reason)
	end)

	it("codes of one occupant's broadcast are not another's: a plain leave after someone's kick is 'left'", function()
		local carol = E.occupant(room, "c", "carol@example.com/r3")
		carol.role = nil
		p:fire(MUC, "muc-broadcast-presence", { room = room, occupant = carol, x = x_with("301"), stanza = E.stanza("presence") })
		p:leave(room, bob)
		p:deliver_all()
		assert.are.equal("left", p:body(4).disconnect_reason)
	end)

	it("a role change while inside is reported once, with the actor; a broadcast without change is not", function()
		p.world.full_sessions[alice.jid] = E.session(alice.jid, { name = "Alice", id = "u-a" })
		bob.role = "moderator"
		local broadcast = { room = room, occupant = bob, x = x_with(), stanza = E.stanza("presence"), actor = alice.jid }
		p:fire(MUC, "muc-broadcast-presence", broadcast)
		p:fire(MUC, "muc-broadcast-presence", broadcast)
		room._affiliations["bob@example.com"] = "owner"
		p:fire(MUC, "muc-broadcast-presence", { room = room, occupant = bob, x = x_with(), stanza = E.stanza("presence"), actor = true })
		p:deliver_all()
		assert.are.same({ "muc-room-created", "muc-occupant-joined", "muc-occupant-joined", "muc-occupant-role-changed",
			"muc-occupant-role-changed" }, p:event_names())
		local first, second = p:body(4), p:body(5)
		assert.are.same({ "participant", "none", "moderator", "none" },
			{ first.previous_role, first.previous_affiliation, first.occupant.role, first.occupant.affiliation })
		assert.are.same({ jid = alice.jid, name = "Alice", id = "u-a" }, first.actor)
		assert.are.same({ "moderator", "none", "owner" }, { second.previous_role, second.previous_affiliation, second.occupant.affiliation })
		assert.is_nil(second.actor) -- the server (actor true) made it
		assert.are.same({ 4, 5 }, { first.room_sequence, second.room_sequence })
	end)

	it("a broadcast that throws inside (an x without childtags) costs nothing but a logged error", function()
		bob.role = nil
		p:fire(MUC, "muc-broadcast-presence", { room = room, occupant = bob, x = {}, stanza = E.stanza("presence") })
		p:leave(room, bob)
		p:deliver_all()
		assert.are.equal("left", p:body(4).disconnect_reason)
		assert.are.equal(1, #p:logs_at("error"))
	end)

	it("a held joined shows the role held at the join, not one a module changed before it was published", function()
		local q = E.new({ options = E.options({ api_events = ALL }) })
		local r = E.room("firstsight")
		local carol = E.occupant(r, "c", "carol@example.com/r1")
		-- another module promotes the creator at muc-room-created (above ours), while our
		-- created and joined are held for the meeting id
		q:hook_other(MUC, "muc-room-created", function()
			r._affiliations["carol@example.com"] = "owner"
			carol.role = "moderator"
			q:fire(MUC, "muc-broadcast-presence", { room = r, occupant = carol, x = x_with(), stanza = E.stanza("presence") })
		end, 0)
		q:join(r, carol, E.session(carol.jid), true)
		q:deliver_all()
		assert.are.same({ "muc-room-created", "muc-occupant-joined", "muc-occupant-role-changed" }, q:event_names())
		assert.are.same({ "participant", "none" }, { q:body(2).occupant.role, q:body(2).occupant.affiliation })
		assert.are.same({ "participant", "moderator", "owner" },
			{ q:body(3).previous_role, q:body(3).occupant.role, q:body(3).occupant.affiliation })
	end)
end)
