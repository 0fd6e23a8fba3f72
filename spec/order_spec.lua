-- The order the receiver sees, in the order Prosody really fires its events; exclusions.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC

describe("event order", function()
	local p, room, alice, bob

	before_each(function()
		p = E.new()
		room = E.room("order")
		alice = E.occupant(room, "a", "alice@example.com/r1")
		bob = E.occupant(room, "b", "bob@example.com/r2")
	end)

	it("reports created then joined although Prosody fires the first joined before created", function()
		p:join(room, alice, E.session(alice.jid), true) -- joined, then muc-room-created
		p:deliver_all()
		assert.are.same({ "muc-room-created", "muc-occupant-joined" }, p:event_names())
		assert.are.equal(alice.jid, p:body(2).occupant.occupant_jid)
	end)

	it("reports created once, even when muc-room-created comes first (create_room path)", function()
		p:fire(MUC, "muc-room-created", { room = room })
		p:join(room, alice, E.session(alice.jid), false)
		p:join(room, bob, E.session(bob.jid), false)
		p:deliver_all()
		assert.are.same({ "muc-room-created", "muc-occupant-joined", "muc-occupant-joined" }, p:event_names())
	end)

	it("does not report a second joined for the same occupant", function()
		p:join(room, alice, E.session(alice.jid), true)
		p:join(room, alice, E.session(alice.jid), false)
		p:deliver_all()
		assert.are.same({ "muc-room-created", "muc-occupant-joined" }, p:event_names())
	end)

	it("reports the last left before destroyed (mod_muc destroys the empty room at priority -1)", function()
		p:join(room, alice, E.session(alice.jid), true)
		p:join(room, bob, E.session(bob.jid))
		p:deliver_all()
		p:leave(room, bob)
		p:leave(room, alice, true)
		p:deliver_all()
		assert.are.same({
			"muc-room-created", "muc-occupant-joined", "muc-occupant-joined",
			"muc-occupant-left", "muc-occupant-left", "muc-room-destroyed",
		}, p:event_names())
		assert.are.equal(bob.jid, p:body(4).occupant.occupant_jid)
		assert.are.equal(alice.jid, p:body(5).occupant.occupant_jid)
		assert.are.equal(2, #p:body(6).all_occupants)
	end)

	it("room:destroy() with people inside: their left events, then destroyed", function()
		p:join(room, alice, E.session(alice.jid), true)
		p:join(room, bob, E.session(bob.jid))
		p:deliver_all()
		p:advance(60)
		p:destroy(room, { alice, bob })
		p:deliver_all()
		assert.are.same({
			"muc-room-created", "muc-occupant-joined", "muc-occupant-joined",
			"muc-occupant-left", "muc-occupant-left", "muc-room-destroyed",
		}, p:event_names())
		local destroyed = p:body(6)
		for _, o in ipairs(destroyed.all_occupants) do
			assert.are.equal(destroyed.destroyed_at, o.left_at)
		end
	end)

	it("reports nothing for a room destroyed before any event of it was seen", function()
		-- e.g. a room another module refused in muc-room-pre-create and destroyed at once
		p:fire(MUC, "muc-room-destroyed", { room = E.room("refused") })
		p:advance(1)
		assert.are.equal(0, #p.requests)
	end)

	it("a destroyed event alone still gives everyone inside a left first", function()
		p:join(room, alice, E.session(alice.jid), true)
		p:join(room, bob, E.session(bob.jid))
		p:deliver_all()
		p:advance(7)
		p:fire(MUC, "muc-room-destroyed", { room = room })
		p:deliver_all()
		assert.are.same({ "muc-occupant-left", "muc-occupant-left", "muc-room-destroyed" },
			{ p:body(4).event_name, p:body(5).event_name, p:body(6).event_name })
		assert.are.same({ alice.jid, bob.jid }, { p:body(4).occupant.occupant_jid, p:body(5).occupant.occupant_jid })
		assert.are.equal(E.START + 7, p:body(4).occupant.left_at)
		assert.are.equal(6, #p.requests)
	end)

	it("a room seen again after it was destroyed is announced with created again", function()
		p:join(room, alice, E.session(alice.jid), true)
		p:leave(room, alice, true)
		p:join(room, bob, E.session(bob.jid), true)
		p:deliver_all()
		assert.are.same({
			"muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed",
			"muc-room-created", "muc-occupant-joined",
		}, p:event_names())
	end)

	it("a nick change is reported as left (old nick) then joined (new nick)", function()
		p:join(room, alice, E.session(alice.jid, { name = "Alice" }), true)
		p:deliver_all()
		p:advance(3)
		local new_nick = room.jid .. "/alice-renamed"
		-- muc.lib.lua ~747: muc-occupant-left with the available presence addressed to the new nick
		p:fire(MUC, "muc-occupant-left", {
			room = room, nick = alice.nick, occupant = alice,
			stanza = E.stanza("presence", { to = new_nick, from = alice.jid }),
			origin = E.session(alice.jid, { name = "Alice" }),
		})
		p:deliver_all()
		assert.are.same({ "muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-occupant-joined" },
			p:event_names())
		assert.are.same({ occupant_jid = alice.jid, joined_at = E.START + 3, name = "Alice", role = "participant",
			affiliation = "none", kind = "participant", participant_id = "alice-renamed" }, p:body(4).occupant)
		assert.are.equal("nick_change", p:body(3).disconnect_reason)
		-- leaving under the new nick is then reported
		local renamed = { nick = new_nick, jid = alice.jid, bare_jid = alice.bare_jid }
		p:leave(room, renamed, true)
		p:deliver_all()
		assert.are.same({ "muc-occupant-left", "muc-room-destroyed" }, { p:body(5).event_name, p:body(6).event_name })
	end)
end)

describe("exclusions", function()
	it("does not report Jicofo's health-check rooms at all", function()
		local p = E.new()
		local hc = E.room("__jicofo-health-check-8a6f2c40-1b2c")
		local someone = E.occupant(hc, "x", "someone@example.com/r")
		p:join(hc, someone, E.session(someone.jid), true)
		p:leave(hc, someone, true)
		p:fire(MUC, "muc-room-created", { room = hc })
		p:fire(MUC, "muc-room-destroyed", { room = hc })
		assert.are.equal(0, #p.requests)
	end)

	it("reports rooms that merely contain the health-check name later on", function()
		local p = E.new()
		p:fire(MUC, "muc-room-created", { room = E.room("my__jicofo-health-check") })
		assert.are.equal(1, #p.requests)
	end)

	it("does not report the focus occupant, nor list it in all_occupants", function()
		local p = E.new()
		local room = E.room("withfocus")
		local focus = E.occupant(room, "focus", "focus@auth.example.com/focus1234")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		p:join(room, focus, E.session(focus.jid), true)
		p:join(room, alice, E.session(alice.jid))
		p:leave(room, focus)
		p:leave(room, alice, true)
		p:deliver_all()
		assert.are.same({ "muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed" },
			p:event_names())
		local all = p:body(4).all_occupants
		assert.are.equal(1, #all)
		assert.are.equal(alice.jid, all[1].occupant_jid)
	end)

	it("matches focus on the JID's node only", function()
		local p = E.new()
		local room = E.room("notfocus")
		local a = E.occupant(room, "a", "focused@example.com/r")
		local b = E.occupant(room, "focus", "bob@focus.example.com/r")
		p:join(room, a, nil, true)
		p:join(room, b, nil)
		p:deliver_all()
		assert.are.same({ "muc-room-created", "muc-occupant-joined", "muc-occupant-joined" }, p:event_names())
	end)
end)
